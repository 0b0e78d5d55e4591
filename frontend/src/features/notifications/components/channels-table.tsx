import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ActionsTd, ActionsTh, Table, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import type { NotificationChannel } from "@/types/api";

import { KIND_LABELS } from "./channel-form";

/** Each action is offered only when its handler is given (the page passes those the user may take). */
interface ChannelsTableProps {
  channels: NotificationChannel[];
  /** Names by id, to show a channel's scope; an id not found reads "#id". */
  sourceNames: Map<number, string>;
  destinationNames: Map<number, string>;
  onTest?: (channel: NotificationChannel) => void;
  onEdit?: (channel: NotificationChannel) => void;
  onRotate?: (channel: NotificationChannel) => void;
  onDelete?: (channel: NotificationChannel) => void;
}

function names(ids: number[], lookup: Map<number, string>): string {
  return ids.map((id) => lookup.get(id) ?? `#${id}`).join(", ");
}

function Scope({ channel, sourceNames, destinationNames }: Pick<ChannelsTableProps, "sourceNames" | "destinationNames"> & { channel: NotificationChannel }) {
  if (channel.sources.length === 0 && channel.destinations.length === 0) {
    return <span className="text-xs text-gray-500">Every source and destination</span>;
  }
  return (
    <div className="space-y-0.5 text-xs">
      {channel.sources.length > 0 && (
        <div>
          <span className="text-gray-500">Sources: </span>
          {names(channel.sources, sourceNames)}
        </div>
      )}
      {channel.destinations.length > 0 && (
        <div>
          <span className="text-gray-500">Destinations: </span>
          {names(channel.destinations, destinationNames)}
        </div>
      )}
    </div>
  );
}

function Target({ channel }: { channel: NotificationChannel }) {
  if (channel.kind === "email") {
    return (
      <div className="max-w-64 truncate text-xs text-gray-600" title={channel.emails.join(", ")}>
        {channel.emails.join(", ")}
      </div>
    );
  }
  return (
    <div className="max-w-64 truncate font-mono text-xs text-gray-600" title={channel.url}>
      {channel.url}
      {channel.url_masked && (
        <Badge tone="neutral" className="ml-1.5 font-sans">
          Masked
        </Badge>
      )}
    </div>
  );
}

export function ChannelsTable({ channels, sourceNames, destinationNames, onTest, onEdit, onRotate, onDelete }: ChannelsTableProps) {
  const anyAction = Boolean(onTest ?? onEdit ?? onRotate ?? onDelete);
  return (
    <Table caption="Notification channels">
      <thead>
        <tr>
          <Th>Channel</Th>
          <Th>Types</Th>
          <Th>Scope</Th>
          <Th>Last send</Th>
          {anyAction && <ActionsTh />}
        </tr>
      </thead>
      <tbody>
        {channels.map((channel) => (
          <tr key={channel.id} className="group hover:bg-gray-50">
            <Td>
              <div className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-medium text-gray-900">{channel.name}</span>
                <Badge tone="accent">{KIND_LABELS[channel.kind]}</Badge>
                {channel.is_active ? <Badge tone="success">Active</Badge> : <Badge tone="neutral">Inactive</Badge>}
              </div>
              <Target channel={channel} />
            </Td>
            <Td label="Types">
              {channel.types.length === 0 ? (
                <span className="text-xs text-gray-500">All types</span>
              ) : (
                <div className="flex max-w-56 flex-wrap gap-1">
                  {channel.types.map((type) => (
                    <span key={type} className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs text-gray-700">
                      {type}
                    </span>
                  ))}
                </div>
              )}
            </Td>
            <Td label="Scope">
              <Scope channel={channel} sourceNames={sourceNames} destinationNames={destinationNames} />
            </Td>
            <Td label="Last send">
              <p className="text-xs text-gray-600">
                Last success <RelativeTime iso={channel.last_success_at} fallback="never" />
              </p>
              {channel.last_failure_at && (
                <p className="text-xs text-gray-600">
                  Last failure <RelativeTime iso={channel.last_failure_at} />
                </p>
              )}
              {channel.last_error && (
                <p className="max-w-56 truncate text-xs text-red-700" title={channel.last_error}>
                  Last error: {channel.last_error}
                </p>
              )}
            </Td>
            {anyAction && (
              <ActionsTd>
                {onTest && (
                  <Button size="sm" aria-label={`Send test notification to ${channel.name}`} onClick={() => onTest(channel)}>
                    Send test
                  </Button>
                )}
                {onEdit && (
                  <Button size="sm" aria-label={`Edit ${channel.name}`} onClick={() => onEdit(channel)}>
                    Edit
                  </Button>
                )}
                {onRotate && channel.kind === "webhook" && (
                  <Button size="sm" aria-label={`Rotate secret of ${channel.name}`} onClick={() => onRotate(channel)}>
                    Rotate secret
                  </Button>
                )}
                {onDelete && (
                  <Button size="sm" variant="danger" aria-label={`Delete ${channel.name}`} onClick={() => onDelete(channel)}>
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
