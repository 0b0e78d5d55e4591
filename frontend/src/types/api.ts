// Shapes of the REST API, named for the components that use them. Each is an alias of a
// type generated from the OpenAPI schema (api.gen.ts: `npm run gen:api`, never edited by
// hand), so a field renamed or retyped on the server breaks the build here. Where the
// schema says less than the contract (docs/api.md), a field is overridden, with the reason:
//   - JSON fields are `unknown` in the schema; here they are `Json`;
//   - answers carry every field, but drf-spectacular marks only read-only ones required
//     (`Answer<>` makes them required, and drops `readonly`);
//   - statuses stay open strings where a status added on the server must still render.

import type { components } from "./api.gen";

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
  count: number;
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
  }
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
  }
>;

/** `auth_header` is write-only: omit it to keep the current value; "" removes it. */
export type DestinationInput = Schemas["DestinationRequest"];
export type RotatedSigningSecret = Answer<Schemas["RotatedSigningSecret"]>;
export type DestinationTestResult = Answer<Schemas["SendResult"]>;

// -- routes -----------------------------------------------------------------------
export type Condition = With<NonNullable<Schemas["RouteRequest"]["conditions"]>[number], { value?: Json }>;

/** The transformer stays an open string: the list to choose from is /api/transformers/. */
export type Route = With<
  Answer<Schemas["Route"]>,
  { conditions: Condition[]; transformer: string; transformer_options: JsonObject }
>;

export type RouteInput = With<
  Answer<Schemas["RouteRequest"]>,
  { conditions: Condition[]; transformer?: string; transformer_options: JsonObject }
>;

export type RouteTestInput = With<Answer<Schemas["RouteTestRequest"]>, { payload: Json }>;

export type FailedCondition = With<
  Answer<Schemas["FailedCondition"]>,
  {
    /** As stored on the route; null when the condition lacked it. */
    path: string | null;
    op: string | null;
    value?: Json;
  }
>;

export type RouteTestResult = With<
  Answer<Schemas["RouteTestResult"]>,
  { failed_condition: FailedCondition | null; output: With<Answer<Schemas["RouteOutput"]>, { body: Json }> | null }
>;

// -- deliveries (the API's word for inbound events) -------------------------------
export type DeliveryStatus = Schemas["EventStatusEnum"];
/** Every outcome status: the keys of an event's outcome counts. */
export type OutcomeStatus = keyof Schemas["OutcomeCounts"];

export type OutcomeCounts = Partial<Answer<Schemas["OutcomeCounts"]>>;

export type DeliverySummary = With<
  Answer<Schemas["Event"]>,
  {
    /** One of DeliveryStatus; typed loosely so a status added on the server still renders. */
    status: string;
    outcome_counts: OutcomeCounts;
    /** The source's name, kept when the source is deleted. */
    source_name?: string;
    source_deleted?: boolean;
  }
>;

export type Attempt = Answer<Schemas["Attempt"]>;

export type Outcome = With<
  Answer<Schemas["Outcome"]>,
  {
    /** One of OutcomeStatus, loosely typed like DeliveryStatus. */
    status: string;
    route_deleted?: boolean;
    destination_deleted?: boolean;
    attempts?: Attempt[];
  }
>;

export type Delivery = DeliverySummary &
  With<
    Pick<Answer<Schemas["EventDetail"]>, "body" | "content_type" | "outcomes">,
    { headers: Record<string, string>; payload: Json | null; outcomes: Outcome[] }
  > &
  Partial<Pick<Answer<Schemas["EventDetail"]>, "body_truncated" | "body_size" | "body_sha256" | "purged_at" | "routing_failures">>;

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
export type MetricsSummary = Answer<Schemas["MetricsSummary"]>;

// -- audit log --------------------------------------------------------------------
export type AuditEntry = With<
  Answer<Schemas["AuditEntry"]>,
  {
    /** "create" | "update" | "delete" | "access", open like the statuses. */
    action: string;
    /** "source" | "destination" | "route" */
    object_type: string;
    changes: Record<string, [Json, Json] | Json>;
  }
>;

// -- API tokens -------------------------------------------------------------------
export type ApiToken = Answer<Schemas["ApiToken"]>;
export type ApiTokenInput = Schemas["ApiTokenCreateRequest"];
/** The create answer: the only time the full token is shown. */
export type CreatedApiToken = Answer<Schemas["IssuedApiToken"]>;

// -- registries -------------------------------------------------------------------
export type Transformer = Answer<Schemas["TransformerInfo"]>;
export type Scheme = Answer<Schemas["SchemeInfo"]>;
