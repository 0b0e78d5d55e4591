// A new API token for the signed-in admin: a name and an optional lifetime in days.

import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod/mini";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormErrors, TextField } from "@/components/ui/field";
import { generalErrors, setServerErrors, useServerForm } from "@/lib/form";
import type { ApiTokenInput, CreatedApiToken } from "@/types/api";

import { useCreateToken } from "../api/tokens";

const FIELDS = ["name", "expires_days"] as const;

// The server validates both (a name, a positive number of days); the form only carries them.
const schema = z.object({ name: z.string(), expires_days: z.string() });
type Values = z.infer<typeof schema>;

function toInput(values: Values): ApiTokenInput {
  const input: ApiTokenInput = { name: values.name.trim() };
  if (values.expires_days.trim() !== "") input.expires_days = Number(values.expires_days);
  return input;
}

export function CreateTokenDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (token: CreatedApiToken) => void }) {
  const create = useCreateToken();
  const { register, handleSubmit, setError, formState } = useServerForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: "", expires_days: "90" },
  });
  const { errors } = formState;

  const submit = handleSubmit((values) =>
    create.mutate(toInput(values), {
      onSuccess: onCreated,
      onError: (error) => setServerErrors(setError, error, FIELDS),
    }),
  );

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
        <FormErrors messages={generalErrors(create.error, FIELDS)} />
        <TextField
          label="Name"
          required
          error={errors.name?.message}
          hint="What it is for, e.g. “deploy script”."
          {...register("name")}
        />
        <TextField
          label="Expires after (days)"
          type="number"
          min={1}
          inputMode="numeric"
          error={errors.expires_days?.message}
          hint="Leave blank for a token that never expires."
          {...register("expires_days")}
        />
      </form>
    </Dialog>
  );
}
