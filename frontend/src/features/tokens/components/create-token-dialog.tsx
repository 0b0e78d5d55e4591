// A new API token for the signed-in admin: a name and an optional lifetime in days.

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormErrors, TextField } from "@/components/ui/field";
import { isApiError } from "@/lib/api-client";
import { errorMessage, nonFieldErrors } from "@/lib/format";
import type { ApiTokenInput, CreatedApiToken } from "@/types/api";

import { useCreateToken } from "../api/tokens";

const FIELDS = ["name", "expires_days"] as const;

export function CreateTokenDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (token: CreatedApiToken) => void }) {
  const create = useCreateToken();
  const [name, setName] = useState("");
  const [days, setDays] = useState("90");
  const fieldError = (field: string) => (isApiError(create.error) ? create.error.fieldError(field) : undefined);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input: ApiTokenInput = { name: name.trim() };
    if (days.trim() !== "") input.expires_days = Number(days);
    create.mutate(input, { onSuccess: onCreated });
  };

  const generalErrors = isApiError(create.error)
    ? Object.keys(create.error.fields).length === 0
      ? [create.error.message]
      : nonFieldErrors(create.error, FIELDS)
    : create.error
      ? [errorMessage(create.error)]
      : [];

  return (
    <Dialog
      title="New API token"
      description="For scripts and CI: sent as “Authorization: Token …”, with your role."
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="token-form" variant="primary" loading={create.isPending}>
            Create token
          </Button>
        </>
      }
    >
      <form id="token-form" onSubmit={submit} className="space-y-4" noValidate>
        <FormErrors messages={generalErrors} />
        <TextField
          label="Name"
          required
          value={name}
          error={fieldError("name")}
          hint="What it is for, e.g. “deploy script”."
          onChange={(e) => setName(e.target.value)}
        />
        <TextField
          label="Expires after (days)"
          type="number"
          min={1}
          inputMode="numeric"
          value={days}
          error={fieldError("expires_days")}
          hint="Leave blank for a token that never expires."
          onChange={(e) => setDays(e.target.value)}
        />
      </form>
    </Dialog>
  );
}
