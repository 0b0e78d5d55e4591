// Conditions as the builder edits them: a tree of rows (all text) and groups, checked as
// the user types with the same rules the server applies, and turned into the contract's
// items ({path, op, value}, {any: [...]}, {all: [...]}, {not: item}).

import { humanize } from "@/lib/format";
import type { Condition, ConditionGroup, Json, LeafCondition } from "@/types/api";

/** One condition on one value. */
export interface ConditionRow {
  kind: "leaf";
  key: string;
  path: string;
  op: string;
  value: string;
}

export type GroupKind = "any" | "all" | "not";

/** "any of", "all of" or "not" over nested items (a "not" holds exactly one). */
export interface ConditionGroupRow {
  kind: "group";
  key: string;
  group: GroupKind;
  items: ConditionItem[];
}

export type ConditionItem = ConditionRow | ConditionGroupRow;

export interface RowProblems {
  path?: string;
  value?: string;
  /** A group's own problem (empty, or a "not" over more than one item). */
  group?: string;
}

/** What a path reads: the body (JSONPath), a header (case-insensitive) or a query parameter. */
export type PathKind = "body" | "header" | "query";

const PATH_PREFIX: Record<Exclude<PathKind, "body">, string> = { header: "headers.", query: "query." };
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const LIST_OPS = new Set(["in", "not_in"]);
const NUMBER_OPS = new Set(["gt", "gte", "lt", "lte"]);

export const GROUP_LABELS: Record<GroupKind, string> = { any: "Any of", all: "All of", not: "Not" };

let counter = 0;
export const newRowKey = () => `condition-${++counter}`;

export function emptyRow(): ConditionRow {
  return { kind: "leaf", key: newRowKey(), path: "$.", op: "equals", value: "" };
}

/** A new group, with one empty row in it so that it is valid as soon as that row is filled. */
export function emptyGroup(group: GroupKind): ConditionGroupRow {
  return { kind: "group", key: newRowKey(), group, items: [emptyRow()] };
}

export function pathKind(path: string): PathKind {
  if (path.startsWith(PATH_PREFIX.header)) return "header";
  if (path.startsWith(PATH_PREFIX.query)) return "query";
  return "body";
}

/** The part of the path the user types: the whole JSONPath, or the header/parameter name. */
export function pathName(path: string): string {
  const kind = pathKind(path);
  return kind === "body" ? path : path.slice(PATH_PREFIX[kind].length);
}

export function buildPath(kind: PathKind, name: string): string {
  return kind === "body" ? name : `${PATH_PREFIX[kind]}${name}`;
}

/** Switching kind keeps nothing of the old path: a JSONPath is no header name. */
export function switchPathKind(kind: PathKind): string {
  return kind === "body" ? "$." : PATH_PREFIX[kind];
}

function tryJson(text: string): { ok: true; value: Json } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch {
    return { ok: false };
  }
}

function isNumeric(text: string): boolean {
  return text.trim() !== "" && Number.isFinite(Number(text.trim()));
}

/** What the value box should say for an operator, shown as its placeholder. */
export function valuePlaceholder(op: string): string {
  if (LIST_OPS.has(op)) return '["a", "b"]';
  if (NUMBER_OPS.has(op)) return "42";
  if (op === "exists") return "true (default) or false";
  if (op === "regex" || op === "starts_with") return "refs/heads/";
  if (op === "ends_with") return "-release";
  return "text, or JSON such as 42 or true";
}

function pathProblem(rawPath: string): string | undefined {
  const path = rawPath.trim();
  const kind = pathKind(path);
  if (kind === "header") {
    const name = pathName(path);
    if (name === "") return "Enter a header name such as x-github-event";
    if (!HEADER_NAME.test(name)) return "A header name has no spaces, colons or quotes";
    return undefined;
  }
  if (kind === "query") {
    return pathName(path) === "" ? "Enter a query parameter name" : undefined;
  }
  if (path === "") return "Enter a JSONPath such as $.ref";
  if (!path.startsWith("$")) return "A path must start with $ (the body), headers. or query.";
  if (path === "$." || path.endsWith(".")) return "The path is incomplete";
  return undefined;
}

export function validateRow(row: ConditionRow): RowProblems {
  const problems: RowProblems = {};
  const path = pathProblem(row.path);
  if (path) problems.path = path;

  const value = row.value.trim();
  if (LIST_OPS.has(row.op)) {
    const parsed = tryJson(value);
    if (!parsed.ok || !Array.isArray(parsed.value)) {
      problems.value = `“${row.op}” needs a JSON list, e.g. ["a", "b"]`;
    }
  } else if (NUMBER_OPS.has(row.op)) {
    if (!isNumeric(value)) {
      problems.value = `“${row.op}” needs a number`;
    }
  } else if (row.op === "exists") {
    if (value !== "" && value !== "true" && value !== "false") {
      problems.value = "Use true, false or leave blank";
    }
  } else if (value === "") {
    problems.value = 'Enter a value (use "" for an empty string)';
  }
  return problems;
}

export function validateGroup(group: ConditionGroupRow): RowProblems {
  if (group.group === "not") {
    return group.items.length === 1 ? {} : { group: "A “not” group holds exactly one condition or group" };
  }
  return group.items.length > 0 ? {} : { group: `An “${GROUP_LABELS[group.group].toLowerCase()}” group needs at least one condition` };
}

export function validateItem(item: ConditionItem): RowProblems {
  return item.kind === "leaf" ? validateRow(item) : validateGroup(item);
}

export function hasProblems(problems: RowProblems): boolean {
  return problems.path !== undefined || problems.value !== undefined || problems.group !== undefined;
}

/** Whether every item, at any depth, passes the browser's checks. */
export function allValid(items: ConditionItem[]): boolean {
  return items.every(
    (item) => !hasProblems(validateItem(item)) && (item.kind === "leaf" || allValid(item.items)),
  );
}

function leafToCondition(row: ConditionRow): LeafCondition {
  const path = row.path.trim();
  const text = row.value.trim();
  if (row.op === "exists") {
    return text === "" ? { path, op: row.op } : { path, op: row.op, value: text === "true" };
  }
  if (NUMBER_OPS.has(row.op)) {
    return { path, op: row.op, value: Number(text) };
  }
  if (row.op === "regex") {
    return { path, op: row.op, value: row.value };
  }
  const parsed = tryJson(text);
  return { path, op: row.op, value: parsed.ok ? parsed.value : row.value };
}

export function rowToCondition(item: ConditionItem): Condition {
  if (item.kind === "leaf") return leafToCondition(item);
  const items = item.items.map(rowToCondition);
  if (item.group === "not") {
    // validateGroup keeps a "not" at one item; an empty one never reaches the server.
    return { not: items[0] ?? { all: [] } };
  }
  return item.group === "any" ? { any: items } : { all: items };
}

/** Shows a stored value so that saving it again gives back the same JSON type. */
function valueText(condition: LeafCondition): string {
  const { value, op } = condition;
  if (value === undefined) return "";
  if (typeof value === "string") {
    if (op === "regex") return value;
    // "42" must stay a string, so it is shown quoted; plain words are shown bare.
    return tryJson(value).ok ? JSON.stringify(value) : value;
  }
  return JSON.stringify(value);
}

export function isGroup(condition: Condition): condition is ConditionGroup {
  return "any" in condition || "all" in condition || "not" in condition;
}

export function rowFromCondition(condition: Condition): ConditionItem {
  if (!isGroup(condition)) {
    return { kind: "leaf", key: newRowKey(), path: condition.path, op: condition.op, value: valueText(condition) };
  }
  const key = newRowKey();
  if ("not" in condition) return { kind: "group", key, group: "not", items: [rowFromCondition(condition.not)] };
  if ("any" in condition) return { kind: "group", key, group: "any", items: condition.any.map(rowFromCondition) };
  return { kind: "group", key, group: "all", items: condition.all.map(rowFromCondition) };
}

/** One line for a condition, as a list of routes shows it. */
export function describeCondition(condition: Condition): string {
  if (!isGroup(condition)) {
    const value = condition.value === undefined ? "" : ` ${JSON.stringify(condition.value)}`;
    return `${condition.path} ${humanize(condition.op).toLowerCase()}${value}`;
  }
  if ("not" in condition) return `not (${describeCondition(condition.not)})`;
  const [word, items] = "any" in condition ? ["or", condition.any] : ["and", condition.all];
  return `(${items.map(describeCondition).join(` ${word} `)})`;
}

// -- places -------------------------------------------------------------------------
// The server names an item by its place: `conditions[1].any[0]`, `conditions[2].not`
// (0-based); older messages say "condition 2 (...)" (1-based, top level only).

/** The place of a child of the item at `parent`. */
export function childPlace(parent: string, group: GroupKind, index: number): string {
  return group === "not" ? `${parent}.not` : `${parent}.${group}[${index}]`;
}

export const topPlace = (index: number) => `conditions[${index}]`;

const PLACE = /conditions\[\d+\](?:\.(?:any|all)\[\d+\]|\.not)*/;
const OLD_PLACE = /condition (\d+)/i;

export function placeOf(message: string): string | null {
  const match = PLACE.exec(message);
  if (match) return match[0];
  const old = OLD_PLACE.exec(message);
  return old ? topPlace(Number(old[1]) - 1) : null;
}

/** Every place in the tree, so that a message lands on the deepest one that exists. */
export function placesOf(items: ConditionItem[], parent?: { place: string; group: GroupKind }): Set<string> {
  const places = new Set<string>();
  items.forEach((item, index) => {
    const place = parent ? childPlace(parent.place, parent.group, index) : topPlace(index);
    places.add(place);
    if (item.kind === "group") {
      for (const inner of placesOf(item.items, { place, group: item.group })) places.add(inner);
    }
  });
  return places;
}

/** The part of a place one level up, or null at the top. */
function parentPlace(place: string): string | null {
  const cut = Math.max(place.lastIndexOf(".any["), place.lastIndexOf(".all["), place.lastIndexOf(".not"));
  return cut > 0 ? place.slice(0, cut) : null;
}

/** Server messages by the place they name (or the nearest enclosing one); the rest apart. */
export function splitServerErrors(
  messages: string[],
  items: ConditionItem[],
): { byPlace: Map<string, string[]>; other: string[] } {
  const known = placesOf(items);
  const byPlace = new Map<string, string[]>();
  const other: string[] = [];
  for (const message of messages) {
    let place = placeOf(message);
    while (place !== null && !known.has(place)) place = parentPlace(place);
    if (place === null) {
      other.push(message);
    } else {
      byPlace.set(place, [...(byPlace.get(place) ?? []), message]);
    }
  }
  return { byPlace, other };
}
