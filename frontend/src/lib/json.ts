// Parsing JSON typed by a person, with a sentence for what is wrong.

import type { Json } from "@/types/api";

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseJson(text: string): Parsed<Json> {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (error) {
    const detail = error instanceof Error ? error.message : "";
    return { ok: false, error: `Not valid JSON${detail ? `: ${detail}` : ""}` };
  }
}

export function isJsonObject(value: Json): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An optional JSON object: blank is fine (undefined), anything else must be an object. */
export function parseOptionalObject(text: string): Parsed<{ [key: string]: Json } | undefined> {
  if (text.trim() === "") {
    return { ok: true, value: undefined };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) {
    return parsed;
  }
  return isJsonObject(parsed.value) ? { ok: true, value: parsed.value } : { ok: false, error: "Must be a JSON object ({…})" };
}
