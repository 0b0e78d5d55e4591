import { Link } from "react-router";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { HeldCount, InactiveBadge, PauseButton, PausedBadge } from "@/components/ui/pause";
import { ActionsTd, ActionsTh, Table, Td, Th } from "@/components/ui/table";
import { paths } from "@/config/paths";
import { supportsPause } from "@/lib/pause";
import { secretHint } from "@/lib/secret-hint";
import type { Destination } from "@/types/api";

import { HealthDetail } from "./health";

/** Each action is offered only when its handler is given (the page passes those the user may take). */
interface DestinationsTableProps {
  destinations: Destination[];
  onEdit?: (destination: Destination) => void;
  onTest?: (destination: Destination) => void;
  onRotate?: (destination: Destination) => void;
  onDelete?: (destination: Destination) => void;
  /** Pause or resume; offered only for rows whose server knows pausing (a `paused` field). */
  onTogglePause?: (destination: Destination) => void;
  pausePending?: (destination: Destination) => boolean;
  /** Re-enable a disabled destination; offered only on disabled rows. */
  onEnable?: (destination: Destination) => void;
}

/** Disabled (automatically after failing for days, or by hand): its reason, and since when. */
function DisabledNotice({ destination }: { destination: Destination }) {
  if (!destination.disabled_at) return null;
  return (
    <div className="mt-1 max-w-72 space-y-0.5">
      <Badge tone="danger">Disabled</Badge>
      {destination.disabled_reason && (
        <p className="text-xs text-red-700" title={destination.disabled_reason}>
          {destination.disabled_reason}
        </p>
      )}
    </div>
  );
}

function SecretState({ label, set, last4 }: { label: string; set: boolean; last4: string }) {
  return (
    <div className="text-xs whitespace-nowrap">
      <span className="text-gray-500">{label}: </span>
      {set ? (
        <span>
          set, <span className="font-mono">{secretHint(last4)}</span>
        </span>
      ) : (
        <span className="text-gray-400">none</span>
      )}
    </div>
  );
}

export function DestinationsTable({
  destinations,
  onEdit,
  onTest,
  onRotate,
  onDelete,
  onTogglePause,
  pausePending,
  onEnable,
}: DestinationsTableProps) {
  const anyAction = Boolean(onEdit ?? onTest ?? onRotate ?? onDelete ?? onTogglePause ?? onEnable);
  return (
    <Table caption="Destinations">
      <thead>
        <tr>
          <Th>Destination</Th>
          <Th>Health</Th>
          <Th>Credentials</Th>
          {anyAction && <ActionsTh />}
        </tr>
      </thead>
      <tbody>
        {destinations.map((destination) => (
          <tr key={destination.id} className="group hover:bg-gray-50">
            <Td>
              <div className="flex flex-wrap items-baseline gap-x-2">
                <Link
                  to={paths.destination(destination.id)}
                  className="font-medium text-indigo-700 hover:underline"
                  aria-label={`Open ${destination.name}`}
                >
                  {destination.name}
                </Link>
                {destination.paused && <PausedBadge />}
                {!destination.is_active && <InactiveBadge />}
              </div>
              <DisabledNotice destination={destination} />
              <div className="max-w-64 truncate font-mono text-xs text-gray-600" title={destination.url}>
                {destination.url}
              </div>
              {destination.url_masked && (
                <div className="flex items-center gap-1.5 text-xs text-gray-500">
                  <Badge tone="neutral">Masked</Badge>
                  <span>The URL carries a credential; full URL visible to admins.</span>
                </div>
              )}
              <div className="text-xs text-gray-500">timeout {destination.timeout_seconds} s</div>
            </Td>
            <Td label="Health">
              <HealthDetail health={destination.health} />
              <HeldCount count={destination.held_count} />
            </Td>
            <Td label="Credentials">
              <SecretState label="Auth header" set={destination.auth_header_set} last4={destination.auth_header_last4} />
              <SecretState label="Signing secret" set={destination.signing_secret_set} last4={destination.signing_secret_last4} />
            </Td>
            {anyAction && (
              <ActionsTd>
                {onEnable && destination.disabled_at && (
                  <Button size="sm" variant="primary" aria-label={`Enable ${destination.name}`} onClick={() => onEnable(destination)}>
                    Enable
                  </Button>
                )}
                {onTogglePause && supportsPause(destination) && (
                  <PauseButton
                    name={destination.name}
                    paused={destination.paused}
                    pending={pausePending?.(destination)}
                    onClick={() => onTogglePause(destination)}
                  />
                )}
                {onTest && (
                  <Button size="sm" aria-label={`Send test event to ${destination.name}`} onClick={() => onTest(destination)}>
                    Send test
                  </Button>
                )}
                {onEdit && (
                  <Button size="sm" aria-label={`Edit ${destination.name}`} onClick={() => onEdit(destination)}>
                    Edit
                  </Button>
                )}
                {onRotate && (
                  <Button
                    size="sm"
                    aria-label={`${destination.signing_secret_set ? "Rotate" : "Generate"} signing secret of ${destination.name}`}
                    onClick={() => onRotate(destination)}
                  >
                    {destination.signing_secret_set ? "Rotate secret" : "Secret"}
                  </Button>
                )}
                {onDelete && (
                  <Button size="sm" variant="danger" aria-label={`Delete ${destination.name}`} onClick={() => onDelete(destination)}>
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
