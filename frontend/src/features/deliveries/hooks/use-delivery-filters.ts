import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";

import { readUrlFilters, type UrlFilterKey } from "../filters";

/** The deliveries filters and page, read from and written to the URL's query string. */
export function useDeliveryFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readUrlFilters(params), [params]);
  const page = Math.max(1, Number(params.get("page")) || 1);

  const setFilters = useCallback(
    (changes: Partial<Record<UrlFilterKey, string>>) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          next.delete("page");
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const setPage = useCallback(
    (value: number) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (value > 1) next.set("page", String(value));
        else next.delete("page");
        return next;
      });
    },
    [setParams],
  );

  const clear = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);

  const activeCount = Object.keys(filters).length;

  return { filters, page, setFilters, setPage, clear, activeCount };
}
