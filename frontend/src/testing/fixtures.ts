// Plain objects shaped like the API's answers.

import type { ApiToken, Capability, DeliverySummary, Destination, Role, Scheme, Source, User } from "@/types/api";

const CAPABILITIES: Record<Role, Capability[]> = {
  viewer: ["read"],
  operator: ["read", "replay", "reroute", "bulk_replay", "test", "pause"],
  admin: ["read", "replay", "reroute", "bulk_replay", "test", "pause", "configure", "secrets", "tokens", "users"],
};

/** A signed-in user as /api/auth/me/ answers it; `null` is an account with no role. */
export function aUser(role: Role | null, overrides: Partial<User> = {}): User {
  return {
    id: 1,
    username: role ? `${role}-user` : "newcomer",
    is_staff: role === "admin",
    role,
    capabilities: role ? CAPABILITIES[role] : [],
    ...overrides,
  };
}

export function aToken(overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id: 5,
    name: "deploy script",
    user: 1,
    username: "admin-user",
    prefix: "rc_7Hq2",
    created_at: "2024-05-01T10:00:00Z",
    expires_at: null,
    last_used_at: null,
    revoked_at: null,
    ...overrides,
  };
}

export function aSource(overrides: Partial<Source> = {}): Source {
  return {
    id: 1,
    name: "GitHub",
    slug: "github",
    ingest_url: "http://localhost:3000/webhooks/receive/github/",
    verification_scheme: "github",
    verification_options: {},
    secret_set: true,
    secret_last4: "f00d",
    previous_secret_expires_at: null,
    event_type_header: "X-GitHub-Event",
    event_type_path: "",
    idempotency_header: "X-GitHub-Delivery",
    rate_limit_per_minute: 0,
    is_active: true,
    paused: false,
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-01T10:00:00Z",
    stats: { events_total: 10, events_24h: 3, sig_failed_24h: 0, last_event_at: "2024-05-01T10:00:00Z" },
    ...overrides,
  };
}

export function aDestination(overrides: Partial<Destination> = {}): Destination {
  return {
    id: 2,
    name: "Slack #dev",
    url: "https://hooks.slack.com/services/T000/B000/XXXX",
    auth_header_set: false,
    auth_header_last4: "",
    timeout_seconds: 10,
    is_active: true,
    paused: false,
    disabled_at: null,
    disabled_reason: "",
    held_count: 0,
    signing_secret_set: false,
    signing_secret_last4: "",
    previous_signing_secret_expires_at: null,
    health: {
      consecutive_failures: 0,
      failing_since: null,
      disabled_until: null,
      last_error: "",
      last_success_at: null,
      last_failure_at: null,
    },
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-01T10:00:00Z",
    ...overrides,
  };
}

export function aDelivery(overrides: Partial<DeliverySummary> = {}): DeliverySummary {
  return {
    id: 7,
    source: 1,
    source_slug: "github",
    received_at: "2024-05-01T10:00:00Z",
    event_type: "push",
    status: "routed",
    error: "",
    idempotency_key: "3f1c-delivery",
    outcome_counts: { delivered: 1 },
    ...overrides,
  };
}

export const SCHEMES: Scheme[] = [
  { name: "github", label: "GitHub", description: "X-Hub-Signature-256 over the body.", needs_secret: true, options: [] },
  {
    name: "hmac_sha256",
    label: "HMAC-SHA256 (hex)",
    description: "A hex HMAC of the body in a header you name.",
    needs_secret: true,
    options: ["header"],
  },
  { name: "none", label: "No verification", description: "Accepts every request.", needs_secret: false, options: [] },
];
