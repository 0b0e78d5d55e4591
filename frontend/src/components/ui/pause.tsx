// The pause state of a source, destination or route: its badges and its one button.

import { Badge } from "./badge";
import { Button } from "./button";

/** Paused by an operator: events are kept and their outcomes held until it is resumed. */
export function PausedBadge() {
  return <Badge tone="warning">Paused</Badge>;
}

/** Switched off in its configuration (is_active false): unlike a pause, nothing is held for it. */
export function InactiveBadge() {
  return <Badge tone="neutral">Inactive</Badge>;
}

/** How many outcomes wait for a resume or an enable; nothing when the server does not say. */
export function HeldCount({ count }: { count: number | undefined }) {
  if (count === undefined) return null;
  return (
    <span className={count > 0 ? "text-xs font-medium text-violet-800" : "text-xs text-gray-500"}>
      {count === 1 ? "1 held" : `${count} held`}
    </span>
  );
}

export function PauseButton({ name, paused, pending, onClick }: { name: string; paused: boolean; pending?: boolean; onClick: () => void }) {
  return (
    <Button size="sm" aria-label={`${paused ? "Resume" : "Pause"} ${name}`} loading={pending} onClick={onClick}>
      {paused ? "Resume" : "Pause"}
    </Button>
  );
}
