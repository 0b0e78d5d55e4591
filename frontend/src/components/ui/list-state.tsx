// The loading / error / empty / results ladder shared by the paginated list pages.

import { type UseQueryResult } from "@tanstack/react-query";
import { type ReactNode } from "react";

import { type Paginated } from "@/types/api";

import { Pagination } from "./pagination";
import { ErrorState, LoadingState } from "./states";

interface ListStateProps<T> {
  query: UseQueryResult<Paginated<T>>;
  /** Text of the loading spinner. */
  loading: string;
  /** Heading of the error box. */
  errorTitle: string;
  /** Shown instead of the list when a page comes back with no results. */
  empty: ReactNode;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  /** Plural noun used by the pagination summary, e.g. "sources". */
  noun: string;
  /** Renders the rows of the current page; pagination is added below it. */
  children: (results: T[]) => ReactNode;
}

export function ListState<T>({ query, loading, errorTitle, empty, page, pageSize, onPage, noun, children }: ListStateProps<T>) {
  if (query.isPending) return <LoadingState label={loading} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} title={errorTitle} />;
  if (query.data.results.length === 0) return <>{empty}</>;
  return (
    <>
      {children(query.data.results)}
      <Pagination page={page} pageSize={pageSize} count={query.data.count} onPage={onPage} noun={noun} />
    </>
  );
}
