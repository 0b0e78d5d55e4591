// A name/value table of HTTP headers: an event's as received, an attempt's as sent and
// as answered.

import { Table, Td, Th } from "@/components/ui/table";
import { cn } from "@/lib/cn";

interface HeadersTableProps {
  caption: string;
  headers: Record<string, string>;
  /** Tailwind max-height class: the table scrolls past it. */
  maxHeight: string;
  /** By name (stored headers have no order worth keeping); else in the order given. */
  sorted?: boolean;
  /** Said when there are none. */
  empty: string;
}

export function HeadersTable({ caption, headers, maxHeight, sorted = false, empty }: HeadersTableProps) {
  const entries = Object.entries(headers);
  if (sorted) entries.sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) {
    return <p className="text-sm text-gray-500">{empty}</p>;
  }
  return (
    <Table caption={caption} className={cn(maxHeight, "shadow-none")}>
      <thead>
        <tr>
          <Th>Header</Th>
          <Th>Value</Th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <Td className="font-mono text-xs whitespace-nowrap text-gray-600">{name}</Td>
            <Td className="font-mono text-xs break-all">{value}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
