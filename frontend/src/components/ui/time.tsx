import { formatDateTime, formatRelative } from "@/lib/format";

/** "3 minutes ago", with the exact time on hover and for assistive tech. */
export function RelativeTime({ iso, fallback = "—" }: { iso: string | null | undefined; fallback?: string }) {
  if (!iso) {
    return <span className="text-gray-400">{fallback}</span>;
  }
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}
