import { useState, type ReactNode } from "react";

import { Badge, StatusBadge, statusLabel } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyableValue } from "@/components/ui/copy-button";
import { CodeBlock, JsonViewer } from "@/components/ui/json-viewer";
import { Section } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useCan } from "@/lib/authorization";
import { errorMessage, formatDateTime, formatNumber } from "@/lib/format";
import type { Delivery } from "@/types/api";

import { useRerouteDelivery } from "../api/deliveries";
import { canBeDelivered, NEVER_DELIVERED } from "../refusals";
import { DeletedName } from "./deleted-name";
import { HeadersTable } from "./headers-table";
import { OutcomeCard } from "./outcome-card";
import { routingNote, RoutingVerdicts } from "./routing-verdicts";

function Facts({ delivery }: { delivery: Delivery }) {
  const facts: [string, ReactNode][] = [
    [
      "Source",
      <DeletedName name={delivery.source_name ?? delivery.source_slug} deleted={delivery.source_deleted} noun="source">
        {delivery.source_name && delivery.source_name !== delivery.source_slug && (
          <span className="font-mono text-xs text-gray-500">{delivery.source_slug}</span>
        )}
      </DeletedName>,
    ],
    ["Event type", <span className="font-mono">{delivery.event_type || "—"}</span>],
    ["Received", formatDateTime(delivery.received_at)],
    ["Content type", <span className="font-mono">{delivery.content_type || "—"}</span>],
  ];
  if (delivery.delivery_state) {
    // The header badge then sums up the outcomes; ingest's and routing's word stays here.
    facts.splice(2, 0, ["Event status", statusLabel(delivery.status, "event")]);
  }
  return (
    <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {facts.map(([label, value]) => (
        <div key={label} className="min-w-0">
          <dt className="text-xs text-gray-500">{label}</dt>
          <dd className="text-sm break-words text-gray-900">{value}</dd>
        </div>
      ))}
      <div className="min-w-0">
        <dt className="text-xs text-gray-500">Idempotency key</dt>
        <dd>{delivery.idempotency_key ? <CopyableValue value={delivery.idempotency_key} label="Copy idempotency key" /> : "—"}</dd>
      </div>
    </dl>
  );
}

export function DeliveryDetail({ delivery }: { delivery: Delivery }) {
  const reroute = useRerouteDelivery();
  const notify = useToast();
  const [confirming, setConfirming] = useState(false);
  const mayReroute = useCan("reroute");
  const deliverable = canBeDelivered(delivery.status);
  const refusal = NEVER_DELIVERED[delivery.status];
  const note = routingNote(delivery);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold tracking-tight text-gray-900">
            Event <span className="font-mono">#{delivery.id}</span>
          </h1>
          {delivery.delivery_state ? (
            <StatusBadge status={delivery.delivery_state} />
          ) : (
            <StatusBadge status={delivery.status} kind="event" />
          )}
        </div>
        {mayReroute && deliverable && (
          <Button variant={delivery.status === "routing_failed" ? "primary" : "secondary"} onClick={() => setConfirming(true)}>
            Re-route event
          </Button>
        )}
      </div>
      {refusal && (
        <p role="note" className="rounded-md border border-gray-300 bg-gray-100 px-3 py-2 text-sm text-gray-800">
          {refusal}
        </p>
      )}
      {note && (
        <p role="note" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {note}
        </p>
      )}
      {delivery.status === "routing_failed" && (
        <p className="text-sm text-gray-700">
          <Badge tone="danger">Set aside</Badge> Routing this event failed several times, so it is no longer retried on
          its own. Fix the cause below, then re-route it.
        </p>
      )}
      {delivery.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {delivery.error}
        </p>
      )}
      <Section title="Summary">
        <Facts delivery={delivery} />
      </Section>

      {delivery.routing && <RoutingVerdicts verdicts={delivery.routing} />}

      <section aria-labelledby="outcomes-heading" className="space-y-3">
        <h2 id="outcomes-heading" className="text-base font-semibold text-gray-900">
          Outcomes <span className="text-sm font-normal text-gray-500">({delivery.outcomes.length})</span>
        </h2>
        {delivery.outcomes.length === 0 ? (
          <EmptyState title="No destination outcomes">
            {delivery.status === "no_route"
              ? "This event's source has no active route."
              : delivery.status === "filtered"
                ? "No route took this event: each route's reason is under Routing."
                : refusal
                ? "This event is never sent to any destination."
                : "Nothing has been delivered for this event yet."}
          </EmptyState>
        ) : (
          delivery.outcomes.map((outcome) => <OutcomeCard key={outcome.id} outcome={outcome} replayable={deliverable} />)
        )}
      </section>

      <div className="grid gap-6 xl:grid-cols-2">
        <Section title="Payload">
          {delivery.payload === null ? (
            <p className="text-sm text-gray-500">The body is not JSON; see the raw body.</p>
          ) : (
            <JsonViewer value={delivery.payload} label="Payload" />
          )}
        </Section>
        <Section title="Headers">
          <HeadersTable caption="Request headers" headers={delivery.headers} maxHeight="max-h-96" sorted empty="No headers were stored." />
        </Section>
      </div>
      <Section title="Raw body">
        <CodeBlock label="Raw body">{delivery.body}</CodeBlock>
      </Section>

      {confirming && (
        <ConfirmDialog
          title="Re-route this event?"
          confirmLabel="Re-route"
          pending={reroute.isPending}
          error={reroute.isError ? errorMessage(reroute.error) : undefined}
          onClose={() => {
            reroute.reset();
            setConfirming(false);
          }}
          onConfirm={() =>
            reroute.mutate(delivery.id, {
              onSuccess: (result) => {
                notify(`Re-routed: ${formatNumber(result.queued)} ${result.queued === 1 ? "delivery" : "deliveries"} queued.`);
                setConfirming(false);
              },
            })
          }
        >
          <p>The event is matched against the current routes again and sent to every destination that matches now.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
