import { useSearchParams } from "react-router";

import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/states";
import { useAllDestinations } from "@/features/destinations/api/destinations";
import { useIssues, type IssueFilters } from "@/features/issues/api/issues";
import { IssuesFilters } from "@/features/issues/components/issues-filters";
import { IssuesTable } from "@/features/issues/components/issues-table";

const PAGE_SIZE = 50;
const FILTER_KEYS = ["status", "kind", "destination"] as const;

function readFilters(params: URLSearchParams): IssueFilters {
  const filters: IssueFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

export function IssuesRoute() {
  // The filters live in the URL, so the navigation's badge can link to the open ones.
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const page = Number(params.get("page")) || 1;
  const issues = useIssues({ ...filters, page, page_size: PAGE_SIZE });
  const destinations = useAllDestinations();

  const update = (changes: Partial<IssueFilters> & { page?: string }) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next);
  };

  const filtered = Object.keys(filters).length > 0;

  return (
    <>
      <PageHeader
        title="Issues"
        description="Failed attempts grouped by destination and kind of error, the latest first. A new failure opens a resolved issue again."
      />
      <IssuesFilters
        filters={filters}
        onChange={update}
        onClear={() => setParams(new URLSearchParams())}
        destinations={destinations.data?.results}
      />
      <ListState
        query={issues}
        loading="Loading issues…"
        errorTitle="Could not load issues"
        empty={
          <EmptyState title={filtered ? "No issue matches these filters" : "No issues"}>
            {filtered ? "Try other filters." : "Every attempt so far succeeded. Failed attempts are grouped here."}
          </EmptyState>
        }
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(next) => update({ page: String(next) })}
        noun="issues"
      >
        {(results) => <IssuesTable issues={results} />}
      </ListState>
    </>
  );
}
