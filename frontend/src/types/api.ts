// Shapes of the REST API, named for the components that use them. Each is an alias of a
// type generated from the OpenAPI schema (api.gen.ts: `npm run gen:api`, never edited by
// hand), so a field renamed or retyped on the server breaks the build here. Where the
// schema says less than the contract (docs/api.md), a field is overridden, with the reason:
//   - JSON fields are `unknown` in the schema; here they are `Json`;
//   - answers carry every field, but drf-spectacular marks only read-only ones required
//     (`Answer<>` makes them required, and drops `readonly`);
//   - statuses stay open strings where a status added on the server must still render.

import type { components, operations } from "./api.gen";

type Schemas = components["schemas"];
/** Replaces fields of T with those of U. */
type With<T, U> = Omit<T, keyof U> & U;
/**
 * An answer: every field present, writable or not, and none `readonly` (the schema's
 * read-only says the server ignores it on write, not that the app may not build one).
 */
type Answer<T> = { -readonly [K in keyof T]-?: T[K] };

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Every list's page (the schema spells it out once per resource: Paginated<Name>List). */
export interface Paginated<T> {
  /** At most 10,000: past that the API stops counting and sets `count_capped`. */
  count: number;
  count_capped?: boolean;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** The unpaginated registries (schemes, transformers). */
export interface Results<T> {
  results: T[];
}

export type ListParams = Record<string, string | number | boolean | undefined | null>;

// -- auth -------------------------------------------------------------------------
export type Role = Schemas["RoleEnum"];

/** What a role may do, as /api/auth/me/ lists it (the schema says only `string[]`). */
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

export type User = With<
  Answer<Schemas["User"]>,
  {
    /** null: an account no administrator has given a role yet (refused everywhere). */
    role?: Role | null;
    /** Missing grants nothing. */
    capabilities?: Capability[];
  }
>;

// -- sources ----------------------------------------------------------------------
export type SourceStats = Answer<Schemas["SourceStats"]>;

export type Source = With<
  Answer<Schemas["Source"]>,
  {
    /** Open: a scheme registered on the server is listed by /api/schemes/ before any rebuild. */
    verification_scheme: string;
    verification_options: JsonObject;
    stats?: SourceStats;
    /** For body-signed schemes: a body already accepted within the idempotency TTL is a duplicate. */
    dedupe_by_body?: boolean;
    /** What the server wants the user to know about this configuration (e.g. scheme `none`). */
    warnings?: string[];
    /** In a create response (SourceWriteResult): the secret the server generated (shown once), else null. */
    secret?: Schemas["SourceWriteResult"]["secret"];
  } & Pausable
>;

export type SourceInput = With<
  Schemas["SourceRequest"],
  {
    /** Required on create: there is no default scheme. */
    verification_scheme: string;
    verification_options: JsonObject;
  }
>;

export type RotateSecretInput = Schemas["RotateSecretRequest"];
export type RotatedSecret = Answer<Schemas["RotatedSecret"]>;

// -- destinations -----------------------------------------------------------------
export type DestinationHealth = Answer<Schemas["DestinationHealth"]>;

export type Destination = With<
  Answer<Schemas["Destination"]>,
  {
    /** True when the URL is masked for a non-admin because it carries a credential. */
    url_masked?: boolean;
  } & Pausable &
    Held &
    AutoDisabled
>;

/** `auth_header` is write-only: omit it to keep the current value; "" removes it. */
export type DestinationInput = Schemas["DestinationRequest"];
export type RotatedSigningSecret = Answer<Schemas["RotatedSigningSecret"]>;
export type DestinationTestResult = Answer<Schemas["SendResult"]>;
/** GET /api/destinations/<id>/stats/: its figures over one window. */
export type DestinationStatsWindow = Schemas["WindowEnum"];
export type DestinationStats = With<
  Answer<Schemas["DestinationStats"]>,
  { health: DestinationHealth; recent_errors: DestinationError[] }
>;
export type DestinationError = Answer<Schemas["RecentError"]>;

// -- routes -----------------------------------------------------------------------
/** A condition on one value: `path` is `$.…` (the body), `headers.<name>` or `query.<name>`. */
type ConditionItem = NonNullable<Schemas["RouteRequest"]["conditions"]>[number];
export type LeafCondition = With<Extract<ConditionItem, { path: string }>, { value?: Json }>;

// Groups of conditions, nested; a route's list still means "all of these". The schema
// cannot name a recursive item, so the group's members are typed here.
export type ConditionGroup = { any: Condition[] } | { all: Condition[] } | { not: Condition };
export type Condition = LeafCondition | ConditionGroup;

/**
 * The transformer stays an open string: the list to choose from is /api/transformers/.
 * `transformation`: the JavaScript transformation used instead
 * of a built-in transformer; `transformer` is then empty.
 */
export type Route = With<
  Answer<Schemas["Route"]>,
  {
    conditions: Condition[];
    transformer: string;
    transformer_options: JsonObject;
    transformation?: number | null;
    /** Ordered delivery (absent from an older server): "" = unordered. */
    ordering_key?: string;
    ordering_dead_letter_blocks?: boolean;
  } & Pausable &
    Held
>;

export type RouteInput = With<
  Answer<Schemas["RouteRequest"]>,
  {
    conditions: Condition[];
    transformer?: string;
    transformer_options: JsonObject;
    transformation?: number | null;
    ordering_key?: string;
    ordering_dead_letter_blocks?: boolean;
  }
>;

/** `query`: the sample's query string, for `query.<name>` conditions ("" when absent). */
export type RouteTestInput = With<Answer<Schemas["RouteTestRequest"]>, { payload: Json; query?: string }>;

export type FailedCondition = With<
  Answer<Schemas["FailedCondition"]>,
  {
    /** As stored on the route; null when the condition lacked it. */
    path: string | null;
    op: string | null;
    value?: Json;
  }
>;

/** What POST /api/routes/validate/ says of a route as it would be saved. */
export type RouteValidation = Answer<Schemas["RouteValidation"]>;

export type RouteTestResult = With<
  Answer<Schemas["RouteTestResult"]>,
  { failed_condition: FailedCondition | null; output: With<Answer<Schemas["RouteOutput"]>, { body: Json }> | null }
>;

// -- deliveries (the API's word for inbound events) -------------------------------
export type DeliveryStatus = Schemas["EventStatusEnum"];
/** Every outcome status: the keys of an event's outcome counts. */
export type OutcomeStatus = keyof Schemas["OutcomeCounts"] | "filtered";

/** `filtered`: a transformation returned null for the outcome's route; `held`: paused or disabled. */
export type OutcomeCounts = Partial<Answer<Schemas["OutcomeCounts"]> & { filtered: number }> & {
  held?: number;
  waiting?: number;
};

export type DeliverySummary = With<
  Answer<Schemas["Event"]>,
  {
    /** One of DeliveryStatus; typed loosely so a status added on the server still renders. */
    status: string;
    outcome_counts: OutcomeCounts;
    /** Where the outcomes stand together (null: none); open like the status. Absent from an older server. */
    delivery_state?: string | null;
    /** The source's name, kept when the source is deleted. */
    source_name?: string;
    source_deleted?: boolean;
  }
>;

/** Who replayed an outcome and when: on the first attempt of the series it started. */
export type ReplayMark = Answer<Schemas["ReplayMark"]>;
/** A replay as the outcome lists it, with the number its series starts at. */
export type OutcomeReplay = Answer<Schemas["OutcomeReplay"]>;
/** The request an attempt sent, masked by the server before it was stored. */
export type AttemptRequest = Answer<Schemas["AttemptRequest"]>;

export type Attempt = With<
  Answer<Schemas["Attempt"]>,
  { request: AttemptRequest | null; replay: ReplayMark | null; response_headers: Record<string, string> }
>;

/** One route's verdict on an event: did it take it, and if not why (`code`: matched,
 * paused, inactive, event_type, condition). */
export type RouteVerdict = Answer<Schemas["RouteVerdict"]>;

export type Outcome = With<
  Answer<Schemas["Outcome"]>,
  {
    /** One of OutcomeStatus, loosely typed like DeliveryStatus. */
    status: string;
    /** Ordered delivery (absent from an older server): the key, this event's value, the dead-letter rule. */
    ordering?: Answer<Schemas["Ordering"]> | null;
    /** While `waiting`: the outcome, and its event, that it waits for. */
    waiting_for?: number | null;
    waiting_for_event?: number | null;
    route_deleted?: boolean;
    destination_deleted?: boolean;
    attempts?: Attempt[];
    replays?: OutcomeReplay[];
    /** Until the schema has them: the version of the JavaScript transformation that shaped it. */
    transformation_version?: number | null;
    transformation_name?: string;
  }
>;

export type Delivery = DeliverySummary &
  With<
    Pick<Answer<Schemas["EventDetail"]>, "body" | "content_type" | "outcomes">,
    { headers: Record<string, string>; payload: Json | null; outcomes: Outcome[] }
  > &
  Partial<Pick<Answer<Schemas["EventDetail"]>, "body_truncated" | "body_size" | "body_sha256" | "purged_at" | "routing_failures" | "routing">>;

export type Queued = Answer<Schemas["Queued"]>;

/** A dry run's answer (BulkReplayResult with `would_queue` instead of `queued`). */
export interface WouldQueue {
  would_queue: number;
}

/** Bulk replay selects at most `limit` outcomes; `capped` says the match was larger. */
export type BulkReplayCap = Partial<Pick<Answer<Schemas["BulkReplayResult"]>, "matched" | "capped" | "limit">>;

export type BulkReplayResult = (Queued | WouldQueue) & BulkReplayCap;

// -- metrics ----------------------------------------------------------------------
export type MetricPoint = Answer<Schemas["MetricPoint"]>;
export type RecentFailure = Answer<Schemas["RecentFailure"]>;
export type MetricsSummary = With<
  Answer<Schemas["MetricsSummary"]>,
  {
    /** Outcomes held by paused or disabled destinations and routes (absent from an older server). */
    held?: number;
    /** Events routes exist for but none took, and events of sources with no active route (absent from an older server). */
    filtered_24h?: number;
    no_route_24h?: number;
    /** Outcomes behind an earlier event of their ordering key (absent from an older server). */
    waiting?: number;
  }
>;

// -- audit log --------------------------------------------------------------------
export type AuditEntry = With<
  Answer<Schemas["AuditEntry"]>,
  {
    /** "create" | "update" | "delete" | "access", open like the statuses. */
    action: string;
    /** One of AuditObjectType; open, so that a type added on the server still renders. */
    object_type: string;
    changes: Record<string, [Json, Json] | Json>;
  }
>;

/** The audit log's object_type filter, as the schema lists it. */
export type AuditObjectType = NonNullable<NonNullable<operations["audit_log_list"]["parameters"]["query"]>["object_type"]>;

// -- API tokens -------------------------------------------------------------------
export type ApiToken = Answer<Schemas["ApiToken"]>;
export type ApiTokenInput = Schemas["ApiTokenCreateRequest"];
/** The create answer: the only time the full token is shown. */
export type CreatedApiToken = Answer<Schemas["IssuedApiToken"]>;

// -- notifications ----------------------------------------------------------------
export type ChannelKind = Schemas["KindEnum"];

export type NotificationChannel = With<
  Answer<Schemas["Channel"]>,
  {
    /** In a create answer (CreatedChannel): the webhook channel's `whsec_` secret (once), else null. */
    secret?: string | null;
  }
>;

export type NotificationChannelInput = Schemas["ChannelRequest"];
export type RotatedChannelSecret = Answer<Schemas["RotatedChannelSecret"]>;

export type Notification = With<
  Answer<Schemas["Notification"]>,
  {
    /** One of Schemas["NotificationStatusEnum"], open like the other statuses. */
    status: string;
    /** The JSON a webhook channel receives (docs/api.md, "Notification bodies"). */
    body: Json;
  }
>;

export type NotificationType = Answer<Schemas["NotificationType"]>;

// -- issues: failures grouped by destination and error kind --------------------------
export type Issue = With<
  Answer<Schemas["Issue"]>,
  {
    /** open | acknowledged | resolved, open like the other statuses. */
    status: string;
    /** One of Schemas["Issue"]["kind"]; kind_label says it in words. */
    kind: string;
  }
>;
export type IssueDetail = Issue & Pick<Answer<Schemas["IssueDetail"]>, "affected" | "dead_letters">;
/** An affected outcome, with what the list shows of its event. */
export type IssueOutcome = With<Answer<Schemas["IssueOutcome"]>, { status: string }>;
export type IssueReplay = Answer<Schemas["IssueReplay"]>;

// -- pause, resume, held ------------------------------------------------------------
// The schema has these fields; they are kept optional here so that the dashboard still
// renders what an older server answers (no `paused` field: no pause button).

export interface Pausable {
  /** Read-only; changed through the pause and resume actions. */
  paused?: boolean;
}

export interface Held {
  /** Outcomes held (nothing sent, nothing counted) while this is paused or disabled. */
  held_count?: number;
}

export interface AutoDisabled {
  /** Set when the destination was disabled automatically (or by hand); null when enabled. */
  disabled_at?: string | null;
  /** Why, e.g. "failed every attempt for 3 days (100 in a row) ...". */
  disabled_reason?: string;
}

/** The resume and enable answers: the object, and how many held outcomes were released. */
export type Resumed<T> = T & { released?: number };

// -- registries -------------------------------------------------------------------
export type Transformer = Answer<Schemas["TransformerInfo"]>;
export type Scheme = Answer<Schemas["SchemeInfo"]>;

// -- transformations: written by hand beside the generated Transformation* schemas, whose
// JSON fields are `unknown`; to be turned into aliases like the resources above --------
export interface Transformation {
  id: number;
  name: string;
  description: string;
  /** JavaScript defining `function transform(event) { ... }`. */
  code: string;
  /** Goes up by one each time the code changes. */
  version: number;
  created_at: string;
  updated_at: string;
  /** The ids of the routes that use it. */
  routes: number[];
}

export type TransformationInput = Pick<Transformation, "name" | "description" | "code">;

/** What `transform(event)` receives. */
export interface TransformationEvent {
  body: Json;
  headers: Record<string, string>;
  event_type: string;
  source: string;
  received_at: string;
}

/** A sample event pasted by the user, or a stored event by its id. */
export type TransformationRunEvent = { event: JsonObject } | { event_id: number };
export type TransformationRunInput = { code: string } & TransformationRunEvent;

export interface TransformationRunResult {
  /** null when the transformation skipped the event (or failed). */
  output: { body: Json; headers: Record<string, string> } | null;
  skipped: boolean;
  /** What console.log printed, one line per call. */
  logs: string[];
  duration_ms: number;
  error: string | null;
}
