import type { AuditEntry, Json } from "@/types/api";

function show(value: Json | undefined): string {
  // The log keeps values as text, so a missing value may arrive as Python's "None".
  if (value === null || value === undefined || value === "" || value === "None") return "∅";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function pair(change: AuditEntry["changes"][string]): [Json, Json] {
  return Array.isArray(change) && change.length === 2 ? [change[0] ?? null, change[1] ?? null] : [null, change];
}

export function ChangeDiff({ changes }: { changes: AuditEntry["changes"] }) {
  const entries = Object.entries(changes);
  if (entries.length === 0) {
    return <span className="text-xs text-gray-400">no field changes</span>;
  }
  return (
    <dl className="space-y-1">
      {entries.map(([field, change]) => {
        const [before, after] = pair(change);
        return (
          <div key={field} className="flex flex-wrap items-baseline gap-x-2 font-mono text-xs">
            <dt className="font-semibold text-gray-700">{field}</dt>
            <dd className="flex min-w-0 flex-wrap items-baseline gap-x-1.5">
              <span className="sr-only">changed from</span>
              <del className="max-w-64 truncate rounded bg-red-50 px-1 text-red-800" title={show(before)}>
                {show(before)}
              </del>
              <span aria-hidden="true" className="text-gray-400">
                →
              </span>
              <span className="sr-only">to</span>
              <ins className="max-w-64 truncate rounded bg-emerald-50 px-1 text-emerald-800 no-underline" title={show(after)}>
                {show(after)}
              </ins>
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
