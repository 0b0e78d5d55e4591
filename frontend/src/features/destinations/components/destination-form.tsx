// Create or edit a destination. The auth header is write-only: the form shows whether one
// is set and its last characters, and sends a new value only when one is typed.

import { zodResolver } from "@hookform/resolvers/zod";
import { useWatch } from "react-hook-form";
import { z } from "zod/mini";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, FormErrors, TextField } from "@/components/ui/field";
import { generalErrors, setServerErrors, useServerForm } from "@/lib/form";
import { secretHint } from "@/lib/secret-hint";
import type { Destination, DestinationInput } from "@/types/api";

import { useCreateDestination, useUpdateDestination } from "../api/destinations";

const FIELDS = ["name", "url", "auth_header", "timeout_seconds", "is_active"] as const;

// The server validates every field (the URL against the SSRF rules too); the form carries them.
const schema = z.object({
  name: z.string(),
  url: z.string(),
  // Read as absent while the input is disabled (the header is being removed).
  auth_header: z.optional(z.string()),
  remove_auth: z.boolean(),
  timeout_seconds: z.string(),
  is_active: z.boolean(),
});
type Values = z.infer<typeof schema>;

function toInput(values: Values): DestinationInput {
  const input: DestinationInput = {
    name: values.name.trim(),
    url: values.url.trim(),
    timeout_seconds: Number(values.timeout_seconds) || 10,
    is_active: values.is_active,
  };
  const authHeader = values.auth_header?.trim() ?? "";
  if (authHeader !== "") {
    input.auth_header = authHeader;
  } else if (values.remove_auth) {
    input.auth_header = "";
  }
  return input;
}

interface DestinationFormProps {
  destination?: Destination;
  onClose: () => void;
  onSaved: (destination: Destination) => void;
}

export function DestinationForm({ destination, onClose, onSaved }: DestinationFormProps) {
  const creating = destination === undefined;
  const create = useCreateDestination();
  const update = useUpdateDestination();
  const mutation = creating ? create : update;
  const { register, control, handleSubmit, setError, formState } = useServerForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: destination?.name ?? "",
      url: destination?.url ?? "",
      auth_header: "",
      remove_auth: false,
      timeout_seconds: String(destination?.timeout_seconds ?? 10),
      is_active: destination?.is_active ?? true,
    },
  });
  const { errors } = formState;
  const removeAuth = useWatch({ control, name: "remove_auth" });

  const authHint =
    destination?.auth_header_set && !removeAuth
      ? `Set, ${secretHint(destination.auth_header_last4)}. Leave blank to keep it.`
      : "Sent with every delivery, e.g. “Authorization: Bearer …”. Stored encrypted; never shown again.";

  const submit = handleSubmit((values) => {
    const input = toInput(values);
    const callbacks = { onSuccess: onSaved, onError: (error: unknown) => setServerErrors(setError, error, FIELDS) };
    if (destination) {
      update.mutate({ id: destination.id, input }, callbacks);
    } else {
      create.mutate(input, callbacks);
    }
  });

  return (
    <Dialog
      title={creating ? "New destination" : `Edit ${destination.name}`}
      description="An HTTP endpoint that routes deliver events to."
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="destination-form" variant="primary" loading={mutation.isPending}>
            {creating ? "Create destination" : "Save changes"}
          </Button>
        </>
      }
    >
      <form id="destination-form" onSubmit={submit} className="space-y-4" noValidate>
        <FormErrors messages={generalErrors(mutation.error, FIELDS)} />
        <TextField label="Name" required error={errors.name?.message} {...register("name")} />
        <TextField
          label="URL"
          type="url"
          required
          placeholder="https://example.com/hooks"
          error={errors.url?.message}
          {...register("url")}
        />
        <TextField
          label="Auth header"
          autoComplete="off"
          inputClassName="font-mono"
          placeholder={destination?.auth_header_set ? `•••• ${destination.auth_header_last4}` : "Header-Name: value"}
          hint={authHint}
          error={errors.auth_header?.message}
          disabled={removeAuth}
          {...register("auth_header")}
        />
        {destination?.auth_header_set && <CheckboxField label="Remove the auth header" {...register("remove_auth")} />}
        <div className="grid items-end gap-4 sm:grid-cols-2">
          <TextField
            label="Timeout (seconds)"
            type="number"
            min={1}
            step="0.5"
            error={errors.timeout_seconds?.message}
            {...register("timeout_seconds")}
          />
          <CheckboxField label="Active" {...register("is_active")} />
        </div>
      </form>
    </Dialog>
  );
}
