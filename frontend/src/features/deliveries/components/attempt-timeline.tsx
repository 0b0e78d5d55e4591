import { HttpStatusBadge } from "@/components/ui/badge";
import { CodeBlock } from "@/components/ui/json-viewer";
import { formatDateTime, formatDuration } from "@/lib/format";
import type { Attempt } from "@/types/api";

function AttemptItem({ attempt }: { attempt: Attempt }) {
  const ok = attempt.status_code !== null && attempt.status_code < 300 && !attempt.error;
  return (
    <li className="relative pb-4 pl-6 last:pb-0">
      <span
        aria-hidden="true"
        className={`absolute top-1.5 left-0 size-2.5 rounded-full ring-4 ring-white ${ok ? "bg-emerald-500" : "bg-red-500"}`}
      />
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <span className="font-medium text-gray-900">Attempt {attempt.number}</span>
        <HttpStatusBadge code={attempt.status_code} />
        <span className="text-xs text-gray-600">
          <time dateTime={attempt.started_at}>{formatDateTime(attempt.started_at)}</time>
        </span>
        <span className="text-xs text-gray-600">took {formatDuration(attempt.duration_ms)}</span>
      </div>
      {attempt.error && (
        <p className="mt-1 text-sm text-red-700">
          <span className="font-medium">Error:</span> {attempt.error}
        </p>
      )}
      {attempt.response_body && (
        <details className="mt-1">
          <summary className="cursor-pointer text-xs font-medium text-gray-600">Response excerpt</summary>
          <div className="mt-1">
            <CodeBlock label={`Response to attempt ${attempt.number}`}>{attempt.response_body}</CodeBlock>
          </div>
        </details>
      )}
    </li>
  );
}

export function AttemptTimeline({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) {
    return <p className="text-sm text-gray-500">No attempts yet.</p>;
  }
  return (
    <ol aria-label="Attempts" className="relative ml-1 border-l border-gray-200 pl-0 [&>li]:-ml-[5px]">
      {attempts.map((attempt) => (
        <AttemptItem key={attempt.number} attempt={attempt} />
      ))}
    </ol>
  );
}
