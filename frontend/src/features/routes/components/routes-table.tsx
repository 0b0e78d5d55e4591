import { Button } from "@/components/ui/button";
import { HeldCount, InactiveBadge, PauseButton, PausedBadge } from "@/components/ui/pause";
import { ActionsTd, ActionsTh, Table, Td, Th } from "@/components/ui/table";
import { supportsPause } from "@/lib/pause";
import type { Route } from "@/types/api";

import { describeCondition as describe } from "../conditions";

/** Each action is offered only when its handler is given (the page passes those the user may take). */
interface RoutesTableProps {
  routes: Route[];
  onTest?: (route: Route) => void;
  onEdit?: (route: Route) => void;
  onDelete?: (route: Route) => void;
  /** Names of the JavaScript transformations routes use, by id (another feature's data, from the page). */
  transformationNames?: ReadonlyMap<number, string>;
  /** Pause or resume; offered only for rows whose server knows pausing (a `paused` field). */
  onTogglePause?: (route: Route) => void;
  pausePending?: (route: Route) => boolean;
}

export function RoutesTable({
  routes,
  onTest,
  onEdit,
  onDelete,
  transformationNames,
  onTogglePause,
  pausePending,
}: RoutesTableProps) {
  const anyAction = Boolean(onTest ?? onEdit ?? onDelete ?? onTogglePause);
  return (
    <Table caption="Routes">
      <thead>
        <tr>
          <Th>Route</Th>
          <Th>Event types</Th>
          <Th>Conditions</Th>
          <Th>Transformer</Th>
          {anyAction && <ActionsTh />}
        </tr>
      </thead>
      <tbody>
        {routes.map((route) => (
          <tr key={route.id} className="group hover:bg-gray-50">
            <Td className="max-w-xs">
              <div className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-medium text-gray-900">{route.name}</span>
                {route.paused && <PausedBadge />}
                {!route.is_active && <InactiveBadge />}
              </div>
              <div className="text-xs text-gray-600">
                <span className="font-mono">{route.source_slug}</span>
                <span className="mx-1" aria-label="to">
                  →
                </span>
                {route.destination_name}
              </div>
              <HeldCount count={route.held_count} />
            </Td>
            <Td label="Event types">
              <div className="flex max-w-56 flex-wrap gap-1">
                {route.event_types.length === 0 ? (
                  <span className="text-xs text-gray-400">any</span>
                ) : (
                  route.event_types.map((type) => (
                    <span key={type} className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs text-gray-700">
                      {type}
                    </span>
                  ))
                )}
              </div>
            </Td>
            <Td label="Conditions">
              {route.conditions.length === 0 ? (
                <span className="text-xs text-gray-400">none</span>
              ) : (
                <ul className="space-y-0.5">
                  {route.conditions.map((condition, index) => (
                    <li key={index} className="max-w-56 truncate font-mono text-xs" title={describe(condition)}>
                      {describe(condition)}
                    </li>
                  ))}
                </ul>
              )}
            </Td>
            <Td label="Transformer">
              <div className="font-mono text-xs">
                {route.transformation
                  ? `JavaScript: ${transformationNames?.get(route.transformation) ?? `#${route.transformation}`}`
                  : route.transformer || "—"}
              </div>
              <div className="text-xs text-gray-500">priority {route.priority}</div>
            </Td>
            {anyAction && (
              <ActionsTd>
                {onTogglePause && supportsPause(route) && (
                  <PauseButton
                    name={route.name}
                    paused={route.paused}
                    pending={pausePending?.(route)}
                    onClick={() => onTogglePause(route)}
                  />
                )}
                {onTest && (
                  <Button size="sm" aria-label={`Test ${route.name}`} onClick={() => onTest(route)}>
                    Test
                  </Button>
                )}
                {onEdit && (
                  <Button size="sm" aria-label={`Edit ${route.name}`} onClick={() => onEdit(route)}>
                    Edit
                  </Button>
                )}
                {onDelete && (
                  <Button size="sm" variant="danger" aria-label={`Delete ${route.name}`} onClick={() => onDelete(route)}>
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
