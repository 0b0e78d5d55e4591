import { Link } from "react-router";

import { Table, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { paths } from "@/config/paths";
import { formatDateTime, formatNumber } from "@/lib/format";
import type { Issue } from "@/types/api";

import { IssueStatusBadge } from "./issue-status-badge";

export function IssuesTable({ issues }: { issues: Issue[] }) {
  return (
    <Table caption="Issues">
      <thead>
        <tr>
          <Th>Issue</Th>
          <Th>Status</Th>
          <Th>Failures</Th>
          <Th>First seen</Th>
          <Th>Last seen</Th>
          <Th>Last error</Th>
        </tr>
      </thead>
      <tbody>
        {issues.map((issue) => (
          <tr key={issue.id} className="hover:bg-gray-50">
            <Td label="Issue">
              <Link to={paths.issue(issue.id)} className="font-medium text-indigo-700 hover:underline">
                {issue.kind_label}
              </Link>
              <p className="text-xs text-gray-600">
                at {issue.destination_name}
                {issue.destination_deleted && " (deleted)"}
              </p>
            </Td>
            <Td label="Status">
              <IssueStatusBadge status={issue.status} />
            </Td>
            <Td label="Failures" className="tabular-nums">{formatNumber(issue.count)}</Td>
            <Td label="First seen" className="text-xs whitespace-nowrap text-gray-700" title={formatDateTime(issue.first_seen)}>
              <RelativeTime iso={issue.first_seen} />
            </Td>
            <Td label="Last seen" className="text-xs whitespace-nowrap text-gray-700" title={formatDateTime(issue.last_seen)}>
              <RelativeTime iso={issue.last_seen} />
            </Td>
            <Td label="Last error">
              <p className="max-w-64 truncate text-xs text-red-700" title={issue.last_error}>
                {issue.last_error || "—"}
              </p>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
