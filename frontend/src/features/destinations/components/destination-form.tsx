// Create or edit a destination. The auth header is write-only: the form shows whether one
// is set and its last characters, and sends a new value only when one is typed.

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, FormErrors, TextField } from "@/components/ui/field";
import { isApiError } from "@/lib/api-client";
import { errorMessage, nonFieldErrors } from "@/lib/format";
import type { Destination, DestinationInput } from "@/types/api";

import { useCreateDestination, useUpdateDestination } from "../api/destinations";

const FIELDS = ["name", "url", "auth_header", "timeout_seconds", "is_active"] as const;

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
  const [name, setName] = useState(destination?.name ?? "");
  const [url, setUrl] = useState(destination?.url ?? "");
  const [authHeader, setAuthHeader] = useState("");
  const [removeAuth, setRemoveAuth] = useState(false);
  const [timeout, setTimeoutSeconds] = useState(String(destination?.timeout_seconds ?? 10));
  const [active, setActive] = useState(destination?.is_active ?? true);
  const fieldError = (field: string) => (isApiError(mutation.error) ? mutation.error.fieldError(field) : undefined);

  const authHint =
    destination?.auth_header_set && !removeAuth
      ? `Set, ends in …${destination.auth_header_last4}. Leave blank to keep it.`
      : "Sent with every delivery, e.g. “Authorization: Bearer …”. Stored encrypted; never shown again.";

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input: DestinationInput = {
      name: name.trim(),
      url: url.trim(),
      timeout_seconds: Number(timeout) || 10,
      is_active: active,
    };
    if (authHeader.trim() !== "") {
      input.auth_header = authHeader.trim();
    } else if (removeAuth) {
      input.auth_header = "";
    }
    if (destination) {
      update.mutate({ id: destination.id, input }, { onSuccess: onSaved });
    } else {
      create.mutate(input, { onSuccess: onSaved });
    }
  };

  const general = isApiError(mutation.error)
    ? Object.keys(mutation.error.fields).length === 0
      ? [mutation.error.message]
      : nonFieldErrors(mutation.error, FIELDS)
    : mutation.error
      ? [errorMessage(mutation.error)]
      : [];

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
        <FormErrors messages={general} />
        <TextField label="Name" required value={name} error={fieldError("name")} onChange={(e) => setName(e.target.value)} />
        <TextField
          label="URL"
          type="url"
          required
          value={url}
          placeholder="https://example.com/hooks"
          error={fieldError("url")}
          onChange={(e) => setUrl(e.target.value)}
        />
        <TextField
          label="Auth header"
          value={authHeader}
          autoComplete="off"
          inputClassName="font-mono"
          placeholder={destination?.auth_header_set ? `•••• ${destination.auth_header_last4}` : "Header-Name: value"}
          hint={authHint}
          error={fieldError("auth_header")}
          disabled={removeAuth}
          onChange={(e) => setAuthHeader(e.target.value)}
        />
        {destination?.auth_header_set && (
          <CheckboxField label="Remove the auth header" checked={removeAuth} onChange={(e) => setRemoveAuth(e.target.checked)} />
        )}
        <div className="grid items-end gap-4 sm:grid-cols-2">
          <TextField
            label="Timeout (seconds)"
            type="number"
            min={1}
            step="0.5"
            value={timeout}
            error={fieldError("timeout_seconds")}
            onChange={(e) => setTimeoutSeconds(e.target.value)}
          />
          <CheckboxField label="Active" checked={active} onChange={(e) => setActive(e.target.checked)} />
        </div>
      </form>
    </Dialog>
  );
}
