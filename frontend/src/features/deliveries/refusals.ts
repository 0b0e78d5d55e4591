// Events that must never reach a destination: a refused signature or a duplicate. The
// API answers 409 to any attempt; the dashboard does not offer one, and says why.

/** Statuses that can never be re-routed or replayed, with the sentence the event page shows. */
export const NEVER_DELIVERED: Readonly<Record<string, string>> = {
  sig_failed: "Refused: the signature did not verify — this event can never be delivered.",
  duplicate: "A duplicate of an earlier event — it is never delivered again; see the original event.",
};

export function canBeDelivered(status: string): boolean {
  return !Object.hasOwn(NEVER_DELIVERED, status);
}
