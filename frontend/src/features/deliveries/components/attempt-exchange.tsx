// One attempt's request as RelayCore sent it, beside the destination's answer. The
// server stores the request masked (signature, auth header, URL credentials), so what
// shows here is what every role may see. Only the panels' labels name the attempt: a
// visible "attempt N" here would also match a search for the timeline's "Attempt N".

import type { ReactNode } from "react";

import { CodeBlock } from "@/components/ui/json-viewer";
import { formatNumber } from "@/lib/format";
import type { Attempt } from "@/types/api";

import { HeadersTable } from "./headers-table";

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
      <HeadersTable caption="Headers sent" headers={request.headers} maxHeight="max-h-72" empty="No headers were kept." />
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
      <HeadersTable caption="Headers answered" headers={attempt.response_headers} maxHeight="max-h-72" empty="No headers were kept." />
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
