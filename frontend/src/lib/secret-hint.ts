// How a stored secret is hinted at in the dashboard: its last four characters when the
// API gives them, else a fixed mask. The API leaves `*_last4` empty for a secret under
// 12 characters (four of them would give too much away), and a bare "…" read as broken.

export const SHORT_SECRET_MASK = "••••••••";

export function secretHint(last4: string | null | undefined): string {
  return last4 ? `ends in …${last4}` : `${SHORT_SECRET_MASK} (short: no characters shown)`;
}
