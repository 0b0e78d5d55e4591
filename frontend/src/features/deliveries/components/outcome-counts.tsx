import { StatusBadge } from "@/components/ui/badge";
import type { OutcomeCounts as Counts } from "@/types/api";

const ORDER = ["dead_lettered", "held", "waiting", "retrying", "delivering", "pending", "delivered", "filtered"] as const;

export function OutcomeCounts({ counts }: { counts: Counts }) {
  const present = ORDER.filter((status) => (counts[status] ?? 0) > 0);
  if (present.length === 0) {
    return <span className="text-xs text-gray-400">none</span>;
  }
  return (
    <div className="flex flex-wrap gap-1">
      {present.map((status) => (
        <span key={status} className="inline-flex items-center gap-1">
          <StatusBadge status={status} />
          {(counts[status] ?? 0) > 1 && <span className="text-xs text-gray-600">×{counts[status]}</span>}
        </span>
      ))}
    </div>
  );
}
