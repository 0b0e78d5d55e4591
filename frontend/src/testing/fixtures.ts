// Plain objects shaped like the API's answers.

import type {
  ApiToken,
  Capability,
  DeliverySummary,
  Destination,
  Notification,
  NotificationChannel,
  NotificationType,
  Role,
  Route,
  Scheme,
  Source,
  Transformation,
  User,
} from "@/types/api";

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

export function aTransformation(overrides: Partial<Transformation> = {}): Transformation {
  return {
    id: 3,
    name: "push to Teams",
    description: "A Teams card for a GitHub push.",
    code: "function transform(event) {\n  return { text: event.body.ref };\n}\n",
    version: 2,
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-02T10:00:00Z",
    routes: [4],
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

export function aRoute(overrides: Partial<Route> = {}): Route {
  return {
    id: 4,
    name: "pushes",
    source: 1,
    source_slug: "github",
    destination: 2,
    destination_name: "Slack #dev",
    event_types: ["push"],
    conditions: [],
    transformer: "passthrough",
    transformer_options: {},
    priority: 100,
    rate_limit_per_minute: 0,
    is_active: true,
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-01T10:00:00Z",
    ...overrides,
  };
}

export function aChannel(overrides: Partial<NotificationChannel> = {}): NotificationChannel {
  return {
    id: 3,
    name: "ops",
    kind: "webhook",
    url: "https://ops.example.com/relaycore",
    url_masked: false,
    emails: [],
    types: [],
    sources: [],
    destinations: [],
    is_active: true,
    secret_set: true,
    last_error: "",
    last_success_at: null,
    last_failure_at: null,
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-01T10:00:00Z",
    ...overrides,
  };
}

export function aNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 11,
    type: "destination.failing",
    subject: "destination:2",
    channel: 3,
    channel_name: "ops",
    status: "sent",
    attempts: 1,
    next_attempt_at: null,
    last_status_code: 200,
    last_error: "",
    sent_at: "2024-05-01T10:00:01Z",
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-01T10:00:01Z",
    body: { type: "destination.failing", summary: "Destination Slack #dev is failing: 5 consecutive failures." },
    ...overrides,
  };
}

export const NOTIFICATION_TYPES: NotificationType[] = [
  { name: "destination.failing", description: "A destination keeps failing." },
  { name: "destination.disabled", description: "A destination was disabled." },
  { name: "dead_letters", description: "Events were dead-lettered." },
];
