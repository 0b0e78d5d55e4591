import { Badge, type Tone } from "@/components/ui/badge";
import { humanize } from "@/lib/format";

// Open needs someone; acknowledged has someone; resolved waits to see if it comes back.
const TONES: Record<string, Tone> = { open: "danger", acknowledged: "warning", resolved: "success" };

export function IssueStatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status] ?? "neutral"}>{humanize(status)}</Badge>;
}
