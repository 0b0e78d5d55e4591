import { Link } from "react-router";

import { HttpStatusBadge, StatusBadge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { paths } from "@/config/paths";
import { formatDateTime } from "@/lib/format";
import type { IssueOutcome } from "@/types/api";

/** The events an issue affects: each one's outcome at the issue's destination. */
export function IssueOutcomesTable({ outcomes }: { outcomes: IssueOutcome[] }) {
  return (
    <Table caption="Affected events">
      <thead>
        <tr>
          <Th>Event</Th>
          <Th>Source</Th>
          <Th>Received</Th>
          <Th>Outcome</Th>
          <Th>Attempts</Th>
          <Th>Last error</Th>
        </tr>
      </thead>
      <tbody>
        {outcomes.map((outcome) => (
          <tr key={outcome.id} className="hover:bg-gray-50">
            <Td label="Event">
              <Link to={paths.delivery(outcome.event)} className="font-medium text-indigo-700 hover:underline">
                #{outcome.event}
              </Link>
              {outcome.event_type && <p className="font-mono text-xs text-gray-600">{outcome.event_type}</p>}
            </Td>
            <Td label="Source">{outcome.source_name}</Td>
            <Td label="Received" className="text-xs whitespace-nowrap text-gray-700" title={formatDateTime(outcome.received_at)}>
              <RelativeTime iso={outcome.received_at} />
            </Td>
            <Td label="Outcome">
              <div className="flex flex-wrap items-center gap-1">
                <StatusBadge status={outcome.status} />
                {outcome.last_status_code !== null && <HttpStatusBadge code={outcome.last_status_code} />}
              </div>
            </Td>
            <Td label="Attempts" className="tabular-nums">{outcome.attempt_count}</Td>
            <Td label="Last error">
              <p className="max-w-64 truncate text-xs text-red-700" title={outcome.last_error}>
                {outcome.last_error || "—"}
              </p>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
