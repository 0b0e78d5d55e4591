// Pause and resume, the same two actions on sources, destinations and routes
// (`POST /api/<resource>/<id>/pause/` and `/resume/`, operator and up). A paused object's
// outcomes are held: nothing sent, nothing counted; resuming releases them and says how many.

import { useQueryClient } from "@tanstack/react-query";

import type { Pausable, Resumed } from "@/types/api";

import { api } from "./api-client";
import { SESSION_QUERY_KEY } from "./react-query";

export type PausableResource = "sources" | "destinations" | "routes";

export const pauseItem = <T>(resource: PausableResource, id: number) => api.post<T>(`/api/${resource}/${id}/pause/`);
export const resumeItem = <T>(resource: PausableResource, id: number) =>
  api.post<Resumed<T>>(`/api/${resource}/${id}/resume/`);

/** Whether the server knows pausing: one that predates it sends no `paused` field, and gets no button. */
export function supportsPause(item: Pausable): item is Pausable & { paused: boolean } {
  return typeof item.paused === "boolean";
}

/** "3 held outcomes released." for a resume or enable answer; "" when none were held. */
export function releasedText(released: number | undefined): string {
  if (!released) return "";
  return released === 1 ? " 1 held outcome released." : ` ${released} held outcomes released.`;
}

/**
 * After a pause, resume or enable: held counts live on destinations, routes and the
 * overview, and released outcomes change the deliveries, so every cached query refreshes.
 */
export function useInvalidateAfterPause() {
  const client = useQueryClient();
  // Every query but the session's: who is signed in does not change with a pause.
  return () => client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== SESSION_QUERY_KEY[0] });
}
