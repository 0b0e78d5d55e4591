import { useCallback, useState } from "react";

import { useDebouncedValue } from "./use-debounced-value";

export interface SearchPage {
  /** What the user has typed or picked, updated on every change. */
  search: string;
  /** Changes the filter and goes back to the first page. */
  setSearch: (value: string) => void;
  /** The filter to send to the API: `search` once settled, or as is with `debounce: false`. */
  query: string;
  page: number;
  setPage: (page: number) => void;
}

/** Filter text plus page number for a paginated list page; a new filter always starts again at page 1. */
export function useSearchPage({ debounce = true }: { debounce?: boolean } = {}): SearchPage {
  const [search, setSearchValue] = useState("");
  const [page, setPage] = useState(1);
  const settled = useDebouncedValue(search);
  const setSearch = useCallback((value: string) => {
    setSearchValue(value);
    setPage(1);
  }, []);
  return { search, setSearch, query: debounce ? settled : search, page, setPage };
}
