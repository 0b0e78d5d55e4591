// One attempt's request as RelayCore sent it, beside the destination's answer. The
// server stores the request masked (signature, auth header, URL credentials), so what
// shows here is what every role may see. Only the panels' labels name the attempt: a
// visible "attempt N" here would also match a search for the timeline's "Attempt N".

import type { ReactNode } from "react";

import { CodeBlock } from "@/components/ui/json-viewer";
import { Table, Td, Th } from "@/components/ui/table";
import { formatNumber } from "@/lib/format";
import type { Attempt } from "@/types/api";

function HeaderTable({ caption, headers }: { caption: string; headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) {
    return <p className="text-xs text-gray-500">No headers were kept.</p>;
  }
  return (
    <Table caption={caption} className="max-h-72 shadow-none">
      <thead>
        <tr>
          <Th>Header</Th>
          <Th>Value</Th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <Td className="font-mono text-xs whitespace-nowrap text-gray-600">{name}</Td>
            <Td className="font-mono text-xs break-all">{value}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** `label` names the panel for assistive technology ("Request of attempt 3"). */
function Panel({ heading, label, children }: { heading: string; label: string; children: ReactNode }) {
  return (
    <section aria-label={label} className="min-w-0 space-y-2">
      <h4 className="text-xs font-semibold tracking-wide text-gray-700 uppercase">{heading}</h4>
      {children}
    </section>
  );
}

function RequestPanel({ attempt }: { attempt: Attempt }) {
  const request = attempt.request;
  const label = `Request of attempt ${attempt.number}`;
  if (!request) {
    return (
      <Panel heading="Request" label={label}>
        <p className="text-sm text-gray-600">Nothing was sent for this attempt.</p>
      </Panel>
    );
  }
  return (
    <Panel heading="Request" label={label}>
      <p className="font-mono text-xs break-all text-gray-900">
        <span className="font-semibold">{request.method}</span> {request.url}
      </p>
      <HeaderTable caption="Headers sent" headers={request.headers} />
      <CodeBlock label={`Body sent by attempt ${attempt.number}`}>{request.body}</CodeBlock>
      {request.body_truncated && (
        <p className="text-xs text-gray-600">
          Cut: {formatNumber(request.body_size)} bytes were sent; the start is kept.
        </p>
      )}
    </Panel>
  );
}

function ResponsePanel({ attempt }: { attempt: Attempt }) {
  const label = `Response to attempt ${attempt.number}`;
  if (attempt.status_code === null) {
    return (
      <Panel heading="Response" label={label}>
        <p className="text-sm text-gray-600">No response: the error above says why.</p>
      </Panel>
    );
  }
  // Plain text: the attempt's line above already carries the "HTTP 200" badge.
  return (
    <Panel heading="Response" label={label}>
      <p className="text-sm text-gray-900">
        Status <span className="font-mono font-semibold">{attempt.status_code}</span>
      </p>
      <HeaderTable caption="Headers answered" headers={attempt.response_headers} />
      <CodeBlock label={`Body answered to attempt ${attempt.number}`}>{attempt.response_body}</CodeBlock>
    </Panel>
  );
}

/** `open`: shown unfolded (the latest attempt). */
export function AttemptExchange({ attempt, open = false }: { attempt: Attempt; open?: boolean }) {
  return (
    <details className="mt-2" open={open}>
      <summary className="cursor-pointer text-xs font-medium text-gray-600">Request and response</summary>
      <div className="mt-2 grid gap-4 lg:grid-cols-2">
        <RequestPanel attempt={attempt} />
        <ResponsePanel attempt={attempt} />
      </div>
    </details>
  );
}
