// The box of a list page's filters. On phones (below `sm`) it folds behind a "Filters"
// button, so the list it filters starts on the first screen instead of under six
// fields; from `sm` up it is always open and the button is gone. The fields stay in the
// page either way (hidden by CSS only), so their state and the tests' queries hold.
// `fold={false}` keeps a bar of few fields open on phones too.

import { useId, useState, type ReactNode } from "react";

import { cn } from "@/lib/cn";

interface FilterPanelProps {
  /** The search landmark's name, e.g. "Filter deliveries". */
  label: string;
  /** How many filters are set, said on the folded button. */
  activeCount: number;
  fold?: boolean;
  children: ReactNode;
}

export function FilterPanel({ label, activeCount, fold = true, children }: FilterPanelProps) {
  const [open, setOpen] = useState(false);
  const bodyId = useId();
  if (!fold) {
    return (
      <div role="search" aria-label={label} className="mb-4 rounded-lg border border-gray-200 bg-white p-4 shadow-sm">
        {children}
      </div>
    );
  }
  return (
    <div role="search" aria-label={label} className="mb-4 rounded-lg border border-gray-200 bg-white shadow-sm">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setOpen((value) => !value)}
        className="flex w-full items-center justify-between gap-2 rounded-lg px-4 py-3 text-sm font-medium text-gray-800 sm:hidden"
      >
        <span>
          Filters
          {activeCount > 0 && (
            <>
              {" "}
              <span className="ml-1 text-xs font-normal text-indigo-700">{activeCount} set</span>
            </>
          )}
        </span>
        <svg viewBox="0 0 20 20" className={cn("size-4 text-gray-500 transition-transform", open && "rotate-180")} aria-hidden="true">
          <path d="M5 8l5 5 5-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      <div id={bodyId} className={cn("p-4 max-sm:border-t max-sm:border-gray-200", !open && "max-sm:hidden")}>
        {children}
      </div>
    </div>
  );
}
