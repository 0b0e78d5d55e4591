// Tables scroll inside their own frame so the header row can stay in view.

import { type ReactNode, type TdHTMLAttributes, type ThHTMLAttributes } from "react";

import { cn } from "@/lib/cn";

export function Table({ caption, children, className }: { caption: string; children: ReactNode; className?: string }) {
  return (
    <div
      className={cn("max-h-[70vh] overflow-auto rounded-lg border border-gray-200 bg-white shadow-sm", className)}
      tabIndex={0}
      role="region"
      aria-label={caption}
    >
      <table className="min-w-full border-separate border-spacing-0 text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={cn(
        "sticky top-0 z-10 border-b border-gray-200 bg-gray-50/95 px-3 py-2 text-xs font-semibold tracking-wide whitespace-nowrap text-gray-600 uppercase backdrop-blur",
        className,
      )}
      {...props}
    />
  );
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("border-b border-gray-100 px-3 py-2.5 align-top text-gray-800", className)} {...props} />;
}

/** The header over a row's buttons. */
export function ActionsTh() {
  return (
    <Th className="sm:right-0 sm:z-20">
      <span className="sr-only">Actions</span>
    </Th>
  );
}

/** A row's buttons, kept in view at the right edge when the table scrolls sideways. */
export function ActionsTd({ children }: { children: ReactNode }) {
  return (
    <Td className="bg-white group-hover:bg-gray-50 sm:sticky sm:right-0 sm:shadow-[-10px_0_10px_-10px_rgba(0,0,0,0.12)]">
      <div className="ml-auto flex min-w-28 flex-wrap justify-end gap-1.5">{children}</div>
    </Td>
  );
}
