import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyableValue } from "@/components/ui/copy-button";
import { InactiveBadge, PauseButton, PausedBadge } from "@/components/ui/pause";
import { ActionsTd, ActionsTh, Table, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { formatNumber } from "@/lib/format";
import { supportsPause } from "@/lib/pause";
import { secretHint } from "@/lib/secret-hint";
import type { Source } from "@/types/api";

import { ListenHint } from "./listen-hint";
import { SourceWarnings } from "./source-warnings";

/** Each action is offered only when its handler is given (the page passes those the user may take). */
interface SourcesTableProps {
  sources: Source[];
  onEdit?: (source: Source) => void;
  onRotate?: (source: Source) => void;
  onDelete?: (source: Source) => void;
  /** Pause or resume; offered only for rows whose server knows pausing (a `paused` field). */
  onTogglePause?: (source: Source) => void;
  pausePending?: (source: Source) => boolean;
}

export function SourcesTable({ sources, onEdit, onRotate, onDelete, onTogglePause, pausePending }: SourcesTableProps) {
  const anyAction = Boolean(onEdit ?? onRotate ?? onDelete ?? onTogglePause);
  return (
    <Table caption="Sources">
      <thead>
        <tr>
          <Th className="min-w-72">Source and ingest URL</Th>
          <Th>Verification</Th>
          <Th>Events 24 h</Th>
          <Th title="Requests refused for a bad signature in the last 24 hours">Sig. failures</Th>
          {anyAction && <ActionsTh />}
        </tr>
      </thead>
      <tbody>
        {sources.map((source) => (
          <tr key={source.id} className="group hover:bg-gray-50">
            <Td className="max-w-xs">
              <div className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-medium text-gray-900">{source.name}</span>
                <span className="font-mono text-xs text-gray-500">{source.slug}</span>
                {source.paused && <PausedBadge />}
                {!source.is_active && <InactiveBadge />}
              </div>
              <div className="mt-1.5">
                <CopyableValue value={source.ingest_url} label={`Copy ingest URL of ${source.name}`} />
              </div>
              <SourceWarnings warnings={source.warnings} />
              <ListenHint source={source} />
            </Td>
            <Td label="Verification">
              <div className="flex flex-wrap items-center gap-1.5">
                {source.verification_scheme || "none"}
                {(source.verification_scheme === "none" || source.verification_scheme === "") && (
                  <Badge tone="warning">Unverified</Badge>
                )}
              </div>
              {source.secret_set && (
                <div className="font-mono text-xs text-gray-500">secret {secretHint(source.secret_last4)}</div>
              )}
            </Td>
            <Td label="Events 24 h" className="whitespace-nowrap">
              <div className="tabular-nums">{formatNumber(source.stats?.events_24h)}</div>
              <div className="text-xs text-gray-500">{formatNumber(source.stats?.events_total)} total</div>
              <div className="text-xs text-gray-500">
                last <RelativeTime iso={source.stats?.last_event_at} fallback="never" />
              </div>
            </Td>
            <Td label="Sig. failures" className="tabular-nums">
              {source.stats && source.stats.sig_failed_24h > 0 ? (
                <Badge tone="danger">{formatNumber(source.stats.sig_failed_24h)} refused</Badge>
              ) : (
                formatNumber(source.stats?.sig_failed_24h)
              )}
            </Td>
            {anyAction && (
              <ActionsTd>
                {onTogglePause && supportsPause(source) && (
                  <PauseButton
                    name={source.name}
                    paused={source.paused}
                    pending={pausePending?.(source)}
                    onClick={() => onTogglePause(source)}
                  />
                )}
                {onEdit && (
                  <Button size="sm" aria-label={`Edit ${source.name}`} onClick={() => onEdit(source)}>
                    Edit
                  </Button>
                )}
                {onRotate && (
                  <Button size="sm" aria-label={`Rotate secret of ${source.name}`} onClick={() => onRotate(source)}>
                    Rotate
                  </Button>
                )}
                {onDelete && (
                  <Button size="sm" variant="danger" aria-label={`Delete ${source.name}`} onClick={() => onDelete(source)}>
                    Delete
                  </Button>
                )}
              </ActionsTd>
            )}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
