// Shapes of the REST API, as written in docs/api.md (the contract).

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface Results<T> {
  results: T[];
}

export type ListParams = Record<string, string | number | boolean | undefined | null>;

// -- auth -------------------------------------------------------------------------
export type Role = "viewer" | "operator" | "admin";

/** What a role may do, as /api/auth/me/ lists it (each role has those of the ones below). */
export type Capability =
  | "read"
  | "replay"
  | "reroute"
  | "bulk_replay"
  | "test"
  | "pause"
  | "configure"
  | "secrets"
  | "tokens"
  | "users";

export interface User {
  id: number;
  username: string;
  is_staff: boolean;
  /** null: an account no administrator has given a role yet (refused everywhere). */
  role?: Role | null;
  capabilities?: Capability[];
}

// -- sources ----------------------------------------------------------------------
export interface SourceStats {
  events_total: number;
  events_24h: number;
  sig_failed_24h: number;
  last_event_at: string | null;
}

export interface Source {
  id: number;
  name: string;
  slug: string;
  ingest_url: string;
  verification_scheme: string;
  verification_options: JsonObject;
  secret_set: boolean;
  secret_last4: string;
  previous_secret_expires_at: string | null;
  event_type_header: string;
  event_type_path: string;
  idempotency_header: string;
  rate_limit_per_minute: number;
  is_active: boolean;
  created_at: string;
  updated_at: string;
  stats?: SourceStats;
  /** For body-signed schemes: a body already accepted within the idempotency TTL is a duplicate. */
  dedupe_by_body?: boolean;
  /** What the server wants the user to know about this configuration (e.g. scheme `none`). */
  warnings?: string[];
  /** In a create response: the secret the server generated (shown once), else null. */
  secret?: string | null;
}

export interface SourceInput {
  name: string;
  slug: string;
  /** Required on create: there is no default scheme. */
  verification_scheme: string;
  dedupe_by_body?: boolean;
  verification_options: JsonObject;
  secret?: string;
  event_type_header: string;
  event_type_path: string;
  idempotency_header: string;
  rate_limit_per_minute: number;
  is_active: boolean;
}

export interface RotateSecretInput {
  secret?: string;
  overlap_hours: number;
}

export interface RotatedSecret {
  secret: string;
  previous_secret_expires_at: string | null;
}

// -- destinations -----------------------------------------------------------------
export interface DestinationHealth {
  consecutive_failures: number;
  disabled_until: string | null;
  last_error: string;
  last_success_at: string | null;
  last_failure_at: string | null;
}

export interface Destination {
  id: number;
  name: string;
  /** Masked for non-admins when it carries a credential (see url_masked). */
  url: string;
  url_masked?: boolean;
  auth_header_set: boolean;
  auth_header_last4: string;
  timeout_seconds: number;
  is_active: boolean;
  signing_secret_set: boolean;
  signing_secret_last4: string;
  previous_signing_secret_expires_at: string | null;
  health: DestinationHealth;
  created_at: string;
  updated_at: string;
}

export interface DestinationInput {
  name: string;
  url: string;
  /** Write-only. Omit to keep the current value; "" removes it. */
  auth_header?: string;
  timeout_seconds: number;
  is_active: boolean;
}

export interface RotatedSigningSecret {
  signing_secret: string;
  previous_signing_secret_expires_at: string | null;
}

export interface DestinationTestResult {
  ok: boolean;
  status_code: number | null;
  duration_ms: number;
  response_body: string;
  error: string;
}

// -- routes -----------------------------------------------------------------------
export interface Condition {
  path: string;
  op: string;
  value?: Json;
}

export interface Route {
  id: number;
  name: string;
  source: number;
  source_slug: string;
  destination: number;
  destination_name: string;
  event_types: string[];
  conditions: Condition[];
  transformer: string;
  transformer_options: JsonObject;
  priority: number;
  rate_limit_per_minute: number;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

export interface RouteInput {
  name: string;
  source: number;
  destination: number;
  event_types: string[];
  conditions: Condition[];
  transformer?: string;
  transformer_options: JsonObject;
  priority: number;
  rate_limit_per_minute: number;
  is_active: boolean;
}

export interface RouteTestInput {
  event_type: string;
  payload: Json;
  headers: Record<string, string>;
}

export interface FailedCondition {
  index: number;
  /** As stored on the route; null when the condition lacked it. */
  path: string | null;
  op: string | null;
  value?: Json;
  detail: string;
}

export interface RouteTestResult {
  matched: boolean;
  reason: string;
  failed_condition: FailedCondition | null;
  output: { content_type: string; body: Json } | null;
  error: string;
}

// -- deliveries -------------------------------------------------------------------
export type DeliveryStatus = "received" | "sig_failed" | "duplicate" | "routed" | "no_route" | "routing_failed";
export type OutcomeStatus = "pending" | "delivering" | "delivered" | "retrying" | "dead_lettered";

export type OutcomeCounts = Partial<Record<OutcomeStatus, number>>;

export interface DeliverySummary {
  id: number;
  source: number;
  source_slug: string;
  /** The source's name, kept when the source is deleted. */
  source_name?: string;
  source_deleted?: boolean;
  received_at: string;
  event_type: string;
  /** One of DeliveryStatus; typed loosely so a status added on the server still renders. */
  status: string;
  error: string;
  idempotency_key: string;
  outcome_counts: OutcomeCounts;
}

export interface Attempt {
  number: number;
  started_at: string;
  duration_ms: number | null;
  status_code: number | null;
  response_body: string;
  error: string;
}

export interface Outcome {
  id: number;
  route: number;
  route_name: string;
  destination: number;
  destination_name: string;
  route_deleted?: boolean;
  destination_deleted?: boolean;
  /** One of OutcomeStatus, loosely typed like DeliveryStatus. */
  status: string;
  attempt_count: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string;
  delivered_at: string | null;
  attempts?: Attempt[];
}

export interface Delivery extends DeliverySummary {
  headers: Record<string, string>;
  body: string;
  content_type: string;
  payload: Json | null;
  outcomes: Outcome[];
}

export interface Queued {
  queued: number;
}

export interface WouldQueue {
  would_queue: number;
}

/** Bulk replay selects at most `limit` outcomes; `capped` says the match was larger. */
export interface BulkReplayCap {
  matched?: number;
  capped?: boolean;
  limit?: number;
}

export type BulkReplayResult = (Queued | WouldQueue) & BulkReplayCap;

// -- metrics ----------------------------------------------------------------------
export interface MetricPoint {
  collected_at: string;
  interval_seconds: number;
  events_received: number;
  events_duplicate: number;
  events_sig_failed: number;
  deliveries_succeeded: number;
  attempts_failed: number;
  dead_lettered: number;
  dead_letters_total: number;
  queue_depth: number;
  success_rate: number | null;
  throughput_per_minute: number;
}

export interface RecentFailure {
  outcome_id: number;
  event_id: number;
  destination_name: string;
  /** One of OutcomeStatus, loosely typed like DeliveryStatus. */
  status: string;
  last_error: string;
  updated_at: string;
}

export interface MetricsSummary {
  events_received_24h: number;
  delivered_24h: number;
  failed_attempts_24h: number;
  dead_letters: number;
  duplicates_24h: number;
  sig_failed_24h: number;
  queue_depth: number;
  success_rate_24h: number | null;
  recent_failures: RecentFailure[];
}

// -- audit log --------------------------------------------------------------------
export interface AuditEntry {
  id: number;
  timestamp: string;
  actor: string | null;
  /** "create" | "update" | "delete" */
  action: string;
  /** "source" | "destination" | "route" */
  object_type: string;
  object_id: string;
  object_repr: string;
  changes: Record<string, [Json, Json] | Json>;
}

// -- API tokens -------------------------------------------------------------------
export interface ApiToken {
  id: number;
  name: string;
  user: number;
  username: string;
  /** The visible start of the token; the rest is stored hashed. */
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ApiTokenInput {
  name: string;
  user?: number;
  expires_days?: number;
}

/** The create answer: the only time the full token is shown. */
export interface CreatedApiToken extends ApiToken {
  token: string;
}

// -- registries -------------------------------------------------------------------
export interface Transformer {
  name: string;
  description: string;
}

export interface Scheme {
  name: string;
  label: string;
  description: string;
  needs_secret: boolean;
  options: string[];
}
