// A freshly created secret, shown this once.

import { Button } from "./button";
import { CopyableValue } from "./copy-button";
import { Dialog } from "./dialog";
import { InlineNotice } from "./states";

interface SecretRevealProps {
  title: string;
  secret: string;
  detail?: string;
  /** The warning above the value; the default suits secrets kept encrypted. */
  notice?: string;
  copyLabel?: string;
  onClose: () => void;
}

const ENCRYPTED_NOTICE = "Copy this secret now. It is stored encrypted and will not be shown again.";

export function SecretReveal({ title, secret, detail, notice = ENCRYPTED_NOTICE, copyLabel = "Copy secret", onClose }: SecretRevealProps) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          I have saved it
        </Button>
      }
    >
      <div className="space-y-3">
        <InlineNotice tone="warning">{notice}</InlineNotice>
        <CopyableValue value={secret} label={copyLabel} />
        {detail && <p className="text-sm text-gray-600">{detail}</p>}
      </div>
    </Dialog>
  );
}
