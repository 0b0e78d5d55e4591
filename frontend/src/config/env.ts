// Settings for the dashboard, read once from Vite's build-time environment and checked
// here so a bad value fails at start rather than somewhere deep in a request.

function readOrigin(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === "") {
    return globalThis.location.origin;
  }
  try {
    return new URL(raw).origin;
  } catch {
    throw new Error(`VITE_API_ORIGIN must be an absolute URL, got ${JSON.stringify(raw)}`);
  }
}

function readPositiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const vars = import.meta.env as Record<string, string | undefined>;

export const env = {
  /** Where /api lives. Same origin as the page unless overridden (it never is in production). */
  apiOrigin: readOrigin(vars.VITE_API_ORIGIN),
  /** How often the live figures on the overview refresh. */
  summaryRefreshMs: readPositiveInt("VITE_SUMMARY_REFRESH_MS", vars.VITE_SUMMARY_REFRESH_MS, 10_000),
  /** How often lists that change underneath the user (deliveries) refresh. */
  liveRefreshMs: readPositiveInt("VITE_LIVE_REFRESH_MS", vars.VITE_LIVE_REFRESH_MS, 5_000),
  csrfCookieName: "csrftoken",
  csrfHeaderName: "X-CSRFToken",
} as const;
