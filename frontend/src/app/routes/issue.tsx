import { useState } from "react";
import { Link, useParams } from "react-router";

import { ListState } from "@/components/ui/list-state";
import { Section } from "@/components/ui/page-header";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { paths } from "@/config/paths";
import { useIssue, useIssueOutcomes } from "@/features/issues/api/issues";
import { IssueSummary } from "@/features/issues/components/issue-detail";
import { IssueOutcomesTable } from "@/features/issues/components/issue-outcomes-table";
import { isApiError } from "@/lib/api-client";

const PAGE_SIZE = 25;

export function IssueRoute() {
  const { id } = useParams();
  const issueId = Number(id);
  const issue = useIssue(issueId);
  const [page, setPage] = useState(1);
  const outcomes = useIssueOutcomes(issueId, { page, page_size: PAGE_SIZE });

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link to={paths.issues} className="text-indigo-700 hover:underline">
          ← Issues
        </Link>
      </nav>
      {issue.isPending ? (
        <LoadingState label="Loading the issue…" />
      ) : issue.isError ? (
        <ErrorState
          error={issue.error}
          title={isApiError(issue.error) && issue.error.status === 404 ? "This issue does not exist" : "Could not load the issue"}
          onRetry={() => void issue.refetch()}
        />
      ) : (
        <>
          <IssueSummary issue={issue.data} />
          <Section title="Affected events">
            <ListState
              query={outcomes}
              loading="Loading the affected events…"
              errorTitle="Could not load the affected events"
              empty={<EmptyState title="No affected event left">Retention may have removed them.</EmptyState>}
              page={page}
              pageSize={PAGE_SIZE}
              onPage={setPage}
              noun="events"
            >
              {(results) => <IssueOutcomesTable outcomes={results} />}
            </ListState>
          </Section>
        </>
      )}
    </>
  );
}
