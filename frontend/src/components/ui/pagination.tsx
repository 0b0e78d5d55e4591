import { formatNumber } from "@/lib/format";

import { Button } from "./button";

interface PaginationProps {
  page: number;
  pageSize: number;
  count: number;
  /** The API stopped counting at `count` (a list of more rows than it counts): "10,000+". */
  capped?: boolean;
  onPage: (page: number) => void;
  noun?: string;
}

export function Pagination({ page, pageSize, count, capped = false, onPage, noun = "results" }: PaginationProps) {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const more = capped ? "+" : "";
  const first = count === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(count, page * pageSize);
  return (
    <nav aria-label="Pagination" className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm text-gray-600">
      <p>
        {count === 0 ? `No ${noun}` : `${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(count)}${more} ${noun}`}
      </p>
      <div className="flex items-center gap-2">
        <Button size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous
        </Button>
        <span aria-current="page">
          Page {page} of {pages}
          {more}
        </span>
        <Button size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          Next
        </Button>
      </div>
    </nav>
  );
}
