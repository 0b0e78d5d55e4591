// Sends a `test` notification to one channel, at once and tried once, and shows how it went.

import { HttpStatusBadge, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormErrors } from "@/components/ui/field";
import { errorMessage } from "@/lib/format";
import type { Notification, NotificationChannel } from "@/types/api";

import { useTestChannel } from "../api/channels";

function TestResult({ result }: { result: Notification }) {
  return (
    <section aria-label="Test result" className="space-y-2 rounded-md border border-gray-200 p-3">
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={result.status} />
        {result.last_status_code !== null && <HttpStatusBadge code={result.last_status_code} />}
      </div>
      {result.last_error && (
        <p className="text-sm text-red-700">
          <span className="font-medium">Error:</span> {result.last_error}
        </p>
      )}
    </section>
  );
}

export function TestChannelDialog({ channel, onClose }: { channel: NotificationChannel; onClose: () => void }) {
  const test = useTestChannel();
  return (
    <Dialog
      title={`Send a test notification to ${channel.name}`}
      description="A notification of type “test”, sent now and tried once (no retries). It is listed with the others."
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button variant="primary" loading={test.isPending} onClick={() => test.mutate(channel.id)}>
            Send test notification
          </Button>
        </>
      }
    >
      <div className="space-y-3">
        {test.isError && <FormErrors messages={[errorMessage(test.error)]} />}
        {test.data && <TestResult result={test.data} />}
      </div>
    </Dialog>
  );
}
