import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { isApiError } from "@/lib/api-client";
import { useLogin } from "@/lib/auth";
import { errorMessage } from "@/lib/format";
import type { User } from "@/types/api";


function LoginError({ error }: { error: unknown }) {
  if (isApiError(error) && error.code === "locked_out") {
    return (
      <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-3 text-sm text-red-900">
        <p className="font-semibold">Account temporarily locked</p>
        <p className="mt-1">{error.message}</p>
      </div>
    );
  }
  const message =
    isApiError(error) && error.status === 401
      ? error.message || "Incorrect username or password."
      : errorMessage(error);
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </div>
  );
}

export function LoginForm({ onSuccess }: { onSuccess: (user: User) => void }) {
  const login = useLogin();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const fieldError = (name: string) => (isApiError(login.error) ? login.error.fieldError(name) : undefined);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    login.mutate({ username, password }, { onSuccess });
  };

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {login.isError && !fieldError("username") && !fieldError("password") && <LoginError error={login.error} />}
      <TextField
        label="Username"
        name="username"
        autoComplete="username"
        required
        autoFocus
        value={username}
        error={fieldError("username")}
        onChange={(event) => setUsername(event.target.value)}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        error={fieldError("password")}
        onChange={(event) => setPassword(event.target.value)}
      />
      <Button type="submit" variant="primary" className="w-full" loading={login.isPending}>
        Sign in
      </Button>
    </form>
  );
}
