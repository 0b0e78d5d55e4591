import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormErrors, TextField } from "@/components/ui/field";
import { errorMessage, formatDateTime } from "@/lib/format";
import type { Destination } from "@/types/api";

import { useRotateSigningSecret } from "../api/destinations";

interface RotateSigningSecretDialogProps {
  destination: Destination;
  onClose: () => void;
  onRotated: (secret: string, detail: string) => void;
}

export function RotateSigningSecretDialog({ destination, onClose, onRotated }: RotateSigningSecretDialogProps) {
  const rotate = useRotateSigningSecret();
  const [overlap, setOverlap] = useState("24");
  const existing = destination.signing_secret_set;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    rotate.mutate(
      { id: destination.id, overlapHours: Number(overlap) || 0 },
      {
        onSuccess: (result) => {
          const detail = result.previous_signing_secret_expires_at
            ? `Deliveries are also signed with the previous secret until ${formatDateTime(result.previous_signing_secret_expires_at)}.`
            : "Deliveries are signed with this secret from now on.";
          onRotated(result.signing_secret, detail);
        },
      },
    );
  };

  return (
    <Dialog
      title={`${existing ? "Rotate" : "Generate"} the signing secret of ${destination.name}`}
      description="RelayCore signs every delivery to this destination so the receiver can check it came from here."
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="signing-secret-form" variant="primary" loading={rotate.isPending}>
            {existing ? "Rotate secret" : "Generate secret"}
          </Button>
        </>
      }
    >
      <form id="signing-secret-form" onSubmit={submit} className="space-y-4" noValidate>
        {rotate.isError && <FormErrors messages={[errorMessage(rotate.error)]} />}
        {existing ? (
          <TextField
            label="Overlap (hours)"
            type="number"
            min={0}
            value={overlap}
            hint="How long deliveries carry a signature with the current secret too."
            onChange={(e) => setOverlap(e.target.value)}
          />
        ) : (
          <p className="text-sm text-gray-700">A new secret is generated and shown once.</p>
        )}
      </form>
    </Dialog>
  );
}
