// The one way the dashboard talks to the API: same origin, session cookie, CSRF header on
// unsafe methods, and every failure turned into an ApiError carrying the contract's
// error shape {"error": {"code", "message", "fields"}}.
//
//   ApiError                 any answer that is not 2xx, or no answer at all
//     .status                HTTP status (0 when the request never got an answer)
//     .code                  the contract's code ("validation_error", "locked_out", ...)
//                            or "network_error" / "http_error" when the body had none
//     .fields                {field: [messages]}; {} when the error is not about a field

import { env } from "@/config/env";
import type { ListParams } from "@/types/api";

export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;

  constructor(status: number, code: string, message: string, fields: FieldErrors = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** The first message for a field, if the server complained about it. */
  fieldError(name: string): string | undefined {
    return this.fields[name]?.[0];
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toMessages(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
  }
  if (typeof value === "string") {
    return [value];
  }
  return [JSON.stringify(value)];
}

function parseFields(value: unknown): FieldErrors {
  if (!isRecord(value)) {
    return {};
  }
  return Object.fromEntries(Object.entries(value).map(([key, messages]) => [key, toMessages(messages)]));
}

/** Builds an ApiError from a failed response's status and (possibly non-JSON) body. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const fallback = `Request failed with status ${status}`;
  if (isRecord(body) && isRecord(body.error)) {
    const { code, message, fields } = body.error;
    return new ApiError(
      status,
      typeof code === "string" ? code : "http_error",
      typeof message === "string" && message !== "" ? message : fallback,
      parseFields(fields),
    );
  }
  return new ApiError(status, "http_error", fallback);
}

export function readCookie(name: string): string | null {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(";")) {
    const item = part.trim();
    if (item.startsWith(prefix)) {
      return decodeURIComponent(item.slice(prefix.length));
    }
  }
  return null;
}

export function buildUrl(path: string, params?: ListParams): string {
  const url = new URL(path, env.apiOrigin);
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== "") {
      url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") {
      throw error;
    }
    throw new ApiError(0, "network_error", "Could not reach the RelayCore server. Check your connection.");
  }
}

/**
 * The CSRF token for an unsafe request: the cookie if Django already set it, else one
 * fetched from /api/auth/csrf/ (which also sets the cookie for next time).
 */
async function csrfToken(forceFresh = false): Promise<string> {
  const cookie = forceFresh ? null : readCookie(env.csrfCookieName);
  if (cookie) {
    return cookie;
  }
  const response = await send(buildUrl("/api/auth/csrf/"), { credentials: "include" });
  const body = await readBody(response);
  if (!response.ok) {
    throw errorFromBody(response.status, body);
  }
  if (isRecord(body) && typeof body.csrf_token === "string" && body.csrf_token !== "") {
    return body.csrf_token;
  }
  const fromCookie = readCookie(env.csrfCookieName);
  if (fromCookie) {
    return fromCookie;
  }
  throw new ApiError(response.status, "csrf_unavailable", "The server did not provide a CSRF token.");
}

function isCsrfFailure(error: ApiError): boolean {
  return error.status === 403 && /csrf/i.test(error.message);
}

export interface RequestOptions {
  params?: ListParams;
  body?: unknown;
  signal?: AbortSignal;
}

async function attempt<T>(method: string, path: string, options: RequestOptions, freshToken: boolean): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  if (UNSAFE_METHODS.has(method)) {
    headers[env.csrfHeaderName] = await csrfToken(freshToken);
  }
  const response = await send(buildUrl(path, options.params), {
    method,
    headers,
    credentials: "include",
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const body = await readBody(response);
  if (!response.ok) {
    throw errorFromBody(response.status, body);
  }
  return body as T;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return await attempt<T>(method, path, options, false);
  } catch (error) {
    // A stale token (Django rotates it at login) earns one retry with a fresh one.
    if (UNSAFE_METHODS.has(method) && isApiError(error) && isCsrfFailure(error)) {
      return attempt<T>(method, path, options, true);
    }
    throw error;
  }
}

export const api = {
  get: <T>(path: string, params?: ListParams, signal?: AbortSignal) => request<T>("GET", path, { params, signal }),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, { body }),
  delete: <T = void>(path: string) => request<T>("DELETE", path),
};
