import { type ReactNode } from "react";

import { RelativeTime } from "@/components/ui/time";
import { formatDateTime, formatNumber } from "@/lib/format";
import type { IssueDetail } from "@/types/api";

import { IssueActions } from "./issue-actions";
import { IssueStatusBadge } from "./issue-status-badge";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-gray-600">{label}</dt>
      <dd className="mt-0.5 text-sm text-gray-900">{children}</dd>
    </div>
  );
}

function When({ iso, who }: { iso: string | null; who?: string }) {
  if (!iso) return <>—</>;
  return (
    <span title={formatDateTime(iso)}>
      <RelativeTime iso={iso} />
      {who && ` by ${who}`}
    </span>
  );
}

/** The issue's facts and actions (the affected events are listed beneath by the page). */
export function IssueSummary({ issue }: { issue: IssueDetail }) {
  return (
    <section aria-label="Issue" className="mb-6 rounded-lg border border-gray-200 bg-white p-4 shadow-sm">
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-lg font-semibold text-gray-900">
            {issue.kind_label} at {issue.destination_name}
            {issue.destination_deleted && " (deleted)"}
          </h1>
          <div className="mt-1">
            <IssueStatusBadge status={issue.status} />
          </div>
        </div>
        <IssueActions issue={issue} />
      </div>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
        <Fact label="Failures">{formatNumber(issue.count)}</Fact>
        <Fact label="Affected events">{formatNumber(issue.affected)}</Fact>
        <Fact label="Dead letters">{formatNumber(issue.dead_letters)}</Fact>
        <Fact label="First seen">
          <When iso={issue.first_seen} />
        </Fact>
        <Fact label="Last seen">
          <When iso={issue.last_seen} />
        </Fact>
        {issue.acknowledged_at && (
          <Fact label="Acknowledged">
            <When iso={issue.acknowledged_at} who={issue.acknowledged_by} />
          </Fact>
        )}
        {issue.resolved_at && (
          <Fact label="Resolved">
            <When iso={issue.resolved_at} who={issue.resolved_by} />
          </Fact>
        )}
        {issue.reopened_at && (
          <Fact label="Reopened">
            <When iso={issue.reopened_at} />
          </Fact>
        )}
      </dl>
      {issue.last_error && (
        <div className="mt-4">
          <p className="text-xs font-medium text-gray-600">Last error</p>
          <pre className="mt-1 overflow-x-auto rounded bg-red-50 p-2 text-xs whitespace-pre-wrap text-red-800">{issue.last_error}</pre>
        </div>
      )}
    </section>
  );
}
