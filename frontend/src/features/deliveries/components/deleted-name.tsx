// The name of a source, route or destination that may have been deleted since: the
// history keeps the name, and a badge says the object is gone (no link to a 404).

import { type ReactNode } from "react";

import { Badge } from "@/components/ui/badge";

interface DeletedNameProps {
  name: string;
  deleted: boolean | undefined;
  /** "source", "route", "destination": read out with the badge. */
  noun: string;
  children?: ReactNode;
}

export function DeletedName({ name, deleted, noun, children }: DeletedNameProps) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <span className={deleted ? "text-gray-600" : undefined}>{name}</span>
      {children}
      {deleted && (
        <Badge tone="neutral">
          deleted<span className="sr-only"> {noun}</span>
        </Badge>
      )}
    </span>
  );
}
