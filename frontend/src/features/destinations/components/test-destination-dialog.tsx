import { useState, type FormEvent } from "react";

import { Badge, HttpStatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormErrors, TextAreaField } from "@/components/ui/field";
import { CodeBlock } from "@/components/ui/json-viewer";
import { errorMessage, formatDuration } from "@/lib/format";
import { parseOptionalObject } from "@/lib/json";
import type { Destination, DestinationTestResult } from "@/types/api";

import { useTestDestination } from "../api/destinations";

function TestResult({ result }: { result: DestinationTestResult }) {
  return (
    <section aria-label="Test result" className="space-y-2 rounded-md border border-gray-200 p-3">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={result.ok ? "success" : "danger"}>{result.ok ? "Delivered" : "Failed"}</Badge>
        <HttpStatusBadge code={result.status_code} />
        <span className="text-xs text-gray-600">in {formatDuration(result.duration_ms)}</span>
      </div>
      {result.error && (
        <p className="text-sm text-red-700">
          <span className="font-medium">Error:</span> {result.error}
        </p>
      )}
      <div>
        <p className="mb-1 text-xs font-medium text-gray-600">Response body</p>
        <CodeBlock label="Response body">{result.response_body}</CodeBlock>
      </div>
    </section>
  );
}

export function TestDestinationDialog({ destination, onClose }: { destination: Destination; onClose: () => void }) {
  const test = useTestDestination();
  const [payload, setPayload] = useState("");
  const parsed = parseOptionalObject(payload);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (parsed.ok) {
      test.mutate({ id: destination.id, payload: parsed.value });
    }
  };

  return (
    <Dialog
      title={`Send a test event to ${destination.name}`}
      description={<span className="font-mono break-all">{destination.url}</span>}
      onClose={onClose}
      size="lg"
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button type="submit" form="test-destination-form" variant="primary" loading={test.isPending} disabled={!parsed.ok}>
            Send test event
          </Button>
        </>
      }
    >
      <form id="test-destination-form" onSubmit={submit} className="space-y-4" noValidate>
        <TextAreaField
          label="Payload (JSON, optional)"
          rows={5}
          value={payload}
          placeholder='{"hello": "world"}'
          hint="Leave blank to send RelayCore's sample event."
          error={parsed.ok ? undefined : parsed.error}
          onChange={(e) => setPayload(e.target.value)}
        />
        {test.isError && <FormErrors messages={[errorMessage(test.error)]} />}
        {test.data && <TestResult result={test.data} />}
      </form>
    </Dialog>
  );
}
