// The one list primitive of the dashboard: a table on wide screens, a stack of cards on
// phones, from the same markup (no second rendering to keep in step, and the same
// roles for tests and screen readers).
//
// Use it for any list of records:
//   <Table caption="Widgets">
//     <thead><tr><Th>Widget</Th><Th>Owner</Th><ActionsTh /></tr></thead>
//     <tbody>{rows.map((w) => (
//       <tr key={w.id} className="group hover:bg-gray-50">
//         <Td>{w.name}</Td>                      // no label: the card's title line
//         <Td label="Owner">{w.owner}</Td>       // label: shown beside the value on phones
//         <ActionsTd><Button …>Edit</Button></ActionsTd>
//       </tr>))}</tbody>
//   </Table>
// Below `sm` (640 px) the header row is visually hidden (still read out), each row
// becomes a card and each labelled cell a "label value" line; the actions sit at the
// card's foot, so they are never off-screen. Give every cell but the first a `label`
// (the column's header text). On wider screens the table scrolls inside its own
// frame, its header row stays in view and the actions stay pinned at the right edge,
// so the page itself never scrolls sideways.

import { type ReactNode, type TdHTMLAttributes, type ThHTMLAttributes } from "react";

import { cn } from "@/lib/cn";

// On phones: rows and the table become blocks, the header row is hidden to the eye.
// `relative` on the frame keeps absolutely placed children (sr-only text) inside its
// scroll box; without it they count toward the page's width and it scrolls sideways.
const STACK =
  "max-sm:block max-sm:[&>thead]:sr-only max-sm:[&>tbody]:block max-sm:[&>tbody>tr]:block " +
  "max-sm:[&>tbody>tr]:space-y-1.5 max-sm:[&>tbody>tr]:border-b max-sm:[&>tbody>tr]:border-gray-200 " +
  "max-sm:[&>tbody>tr]:px-4 max-sm:[&>tbody>tr]:py-3 max-sm:[&>tbody>tr:last-child]:border-b-0";

export function Table({ caption, children, className }: { caption: string; children: ReactNode; className?: string }) {
  return (
    <div
      className={cn("relative overflow-auto rounded-lg border border-gray-200 bg-white shadow-sm sm:max-h-[70vh]", className)}
      tabIndex={0}
      role="region"
      aria-label={caption}
    >
      <table className={cn("min-w-full border-separate border-spacing-0 text-left text-sm", STACK)}>
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

// A labelled cell on phones: the label floats in the left padding, the value flows as on
// a wide screen beside it (no wrapper, so the cell's children stay its own).
const LABELLED =
  "max-sm:flow-root max-sm:pl-[7.25rem] max-sm:before:float-left max-sm:before:-ml-[7.25rem] " +
  "max-sm:before:w-[6.5rem] max-sm:before:pt-0.5 max-sm:before:content-[attr(data-label)] max-sm:before:text-xs " +
  "max-sm:before:font-semibold max-sm:before:tracking-wide max-sm:before:text-gray-500 max-sm:before:uppercase";

interface TdProps extends TdHTMLAttributes<HTMLTableCellElement> {
  /** The column's name, shown beside the value when the row is a card (below `sm`). */
  label?: string;
}

export function Td({ className, label, ...props }: TdProps) {
  return (
    <td
      data-label={label}
      className={cn(
        "border-b border-gray-100 px-3 py-2.5 align-top text-gray-800",
        "max-sm:block max-sm:max-w-none max-sm:border-0 max-sm:py-0 max-sm:pr-0",
        label === undefined ? "max-sm:pl-0" : LABELLED,
        className,
      )}
      {...props}
    />
  );
}

/** The header over a row's buttons. */
export function ActionsTh() {
  return (
    <Th className="sm:right-0 sm:z-20">
      <span className="sr-only">Actions</span>
    </Th>
  );
}

/** A row's buttons: pinned at the right edge when the table scrolls, at the card's foot on phones. */
export function ActionsTd({ children }: { children: ReactNode }) {
  return (
    <Td className="bg-white group-hover:bg-gray-50 max-sm:bg-transparent max-sm:pt-1.5 sm:sticky sm:right-0 sm:shadow-[-10px_0_10px_-10px_rgba(0,0,0,0.12)]">
      <div className="flex flex-wrap gap-1.5 sm:ml-auto sm:min-w-28 sm:justify-end">{children}</div>
    </Td>
  );
}
