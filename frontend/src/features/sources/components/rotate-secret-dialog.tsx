import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormErrors, TextField } from "@/components/ui/field";
import { isApiError } from "@/lib/api-client";
import { errorMessage, formatDateTime } from "@/lib/format";
import type { Source } from "@/types/api";

import { useRotateSourceSecret } from "../api/sources";

interface RotateSecretDialogProps {
  source: Source;
  onClose: () => void;
  onRotated: (secret: string, detail: string) => void;
}

export function RotateSecretDialog({ source, onClose, onRotated }: RotateSecretDialogProps) {
  const rotate = useRotateSourceSecret();
  const [secret, setSecret] = useState("");
  const [overlap, setOverlap] = useState("24");
  const fieldError = (name: string) => (isApiError(rotate.error) ? rotate.error.fieldError(name) : undefined);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = { overlap_hours: Number(overlap) || 0, ...(secret !== "" ? { secret } : {}) };
    rotate.mutate(
      { id: source.id, input },
      {
        onSuccess: (result) => {
          const detail = result.previous_secret_expires_at
            ? `The previous secret keeps working until ${formatDateTime(result.previous_secret_expires_at)}.`
            : "The previous secret no longer works.";
          onRotated(result.secret, detail);
        },
      },
    );
  };

  const general =
    rotate.isError && !fieldError("secret") && !fieldError("overlap_hours") ? [errorMessage(rotate.error)] : [];

  return (
    <Dialog
      title={`Rotate the secret of ${source.name}`}
      description="Both secrets are accepted during the overlap, so the provider can be updated without losing events."
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="rotate-secret-form" variant="primary" loading={rotate.isPending}>
            Rotate secret
          </Button>
        </>
      }
    >
      <form id="rotate-secret-form" onSubmit={submit} className="space-y-4" noValidate>
        <FormErrors messages={general} />
        <TextField
          label="New secret"
          value={secret}
          autoComplete="off"
          inputClassName="font-mono"
          hint="Leave blank to generate one."
          error={fieldError("secret")}
          onChange={(e) => setSecret(e.target.value)}
        />
        <TextField
          label="Overlap (hours)"
          type="number"
          min={0}
          value={overlap}
          hint="How long the current secret keeps working. 0 retires it at once."
          error={fieldError("overlap_hours")}
          onChange={(e) => setOverlap(e.target.value)}
        />
      </form>
    </Dialog>
  );
}
