import type { AuditEntry, Json } from "@/types/api";

import { isMultiline, lineDiff } from "../line-diff";

const LINE_STYLE = {
  same: { sign: " ", className: "text-gray-600" },
  removed: { sign: "-", className: "bg-red-50 text-red-800" },
  added: { sign: "+", className: "bg-emerald-50 text-emerald-800" },
} as const;

/** A transformation's code (any text on several lines), changed line by line. */
function LinesDiff({ field, before, after }: { field: string; before: string; after: string }) {
  return (
    <div className="space-y-1 font-mono text-xs">
      <dt className="font-semibold text-gray-700">{field}</dt>
      <dd>
        <pre aria-label={`Changes to ${field}`} className="max-h-64 overflow-auto rounded border border-gray-200 bg-white py-1">
          {lineDiff(before, after).map((line, index) => (
            <div key={index} className={`px-2 ${LINE_STYLE[line.kind].className}`}>
              <span aria-hidden="true">{LINE_STYLE[line.kind].sign} </span>
              {line.kind !== "same" && <span className="sr-only">{line.kind}: </span>}
              {line.text}
            </div>
          ))}
        </pre>
      </dd>
    </div>
  );
}

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
        if (isMultiline(before, after)) {
          const text = (value: Json) => (typeof value === "string" ? value : "");
          return <LinesDiff key={field} field={field} before={text(before)} after={text(after)} />;
        }
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
