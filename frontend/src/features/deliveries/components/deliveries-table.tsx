import { Link } from "react-router";

import { StatusBadge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { paths } from "@/config/paths";
import type { DeliverySummary } from "@/types/api";

import { DeletedName } from "./deleted-name";
import { OutcomeCounts } from "./outcome-counts";

export function DeliveriesTable({ deliveries }: { deliveries: DeliverySummary[] }) {
  return (
    <Table caption="Deliveries">
      <thead>
        <tr>
          <Th>Event</Th>
          <Th>Received</Th>
          <Th>Source</Th>
          <Th>Status</Th>
          <Th>Outcomes</Th>
          <Th>Idempotency key</Th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((delivery) => (
          <tr key={delivery.id} className="hover:bg-gray-50">
            <Td>
              <Link
                to={paths.delivery(delivery.id)}
                className="font-medium text-indigo-700 hover:underline"
                aria-label={`Event ${delivery.id}${delivery.event_type ? ` (${delivery.event_type})` : ""}`}
              >
                <span className="font-mono">#{delivery.id}</span>
                <span className="ml-2 font-mono text-xs text-gray-700">{delivery.event_type || "—"}</span>
              </Link>
            </Td>
            <Td label="Received" className="whitespace-nowrap text-gray-600">
              <RelativeTime iso={delivery.received_at} />
            </Td>
            <Td label="Source" className="text-xs">
              <DeletedName name={delivery.source_name ?? delivery.source_slug} deleted={delivery.source_deleted} noun="source" />
            </Td>
            <Td label="Status">
              <StatusBadge status={delivery.status} kind="event" />
              {delivery.error && (
                <p className="mt-1 max-w-56 truncate text-xs text-red-700" title={delivery.error}>
                  {delivery.error}
                </p>
              )}
            </Td>
            <Td label="Outcomes">
              <OutcomeCounts counts={delivery.outcome_counts} />
            </Td>
            <Td label="Idempotency key">
              <span className="block max-w-48 truncate font-mono text-xs text-gray-500" title={delivery.idempotency_key}>
                {delivery.idempotency_key || "—"}
              </span>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
