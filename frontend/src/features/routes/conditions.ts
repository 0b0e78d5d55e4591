// Condition rows as the builder edits them (all text), checked as the user types with
// the same rules the server applies, and turned into the contract's {path, op, value}.

import type { Condition, Json } from "@/types/api";

export interface ConditionRow {
  key: string;
  path: string;
  op: string;
  value: string;
}

export interface RowProblems {
  path?: string;
  value?: string;
}

const LIST_OPS = new Set(["in", "not_in"]);
const NUMBER_OPS = new Set(["gt", "gte", "lt", "lte"]);

let counter = 0;
export const newRowKey = () => `condition-${++counter}`;

export function emptyRow(): ConditionRow {
  return { key: newRowKey(), path: "$.", op: "equals", value: "" };
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
  if (op === "regex") return "^refs/heads/";
  return "text, or JSON such as 42 or true";
}

export function validateRow(row: ConditionRow): RowProblems {
  const problems: RowProblems = {};
  const path = row.path.trim();
  if (path === "") {
    problems.path = "Enter a JSONPath such as $.ref";
  } else if (!path.startsWith("$")) {
    problems.path = "A path must start with $ (for example $.ref)";
  } else if (path === "$." || path.endsWith(".")) {
    problems.path = "The path is incomplete";
  }

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

export function hasProblems(problems: RowProblems): boolean {
  return problems.path !== undefined || problems.value !== undefined;
}

export function rowToCondition(row: ConditionRow): Condition {
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

/** Shows a stored value so that saving it again gives back the same JSON type. */
function valueText(condition: Condition): string {
  const { value, op } = condition;
  if (value === undefined) return "";
  if (typeof value === "string") {
    if (op === "regex") return value;
    // "42" must stay a string, so it is shown quoted; plain words are shown bare.
    return tryJson(value).ok ? JSON.stringify(value) : value;
  }
  return JSON.stringify(value);
}

export function rowFromCondition(condition: Condition): ConditionRow {
  return { key: newRowKey(), path: condition.path, op: condition.op, value: valueText(condition) };
}

/** Server messages name conditions from 1 ("condition 2 ($.ref): ..."); map them to rows. */
export function splitServerErrors(messages: string[], rows: number): { byRow: Map<number, string[]>; other: string[] } {
  const byRow = new Map<number, string[]>();
  const other: string[] = [];
  for (const message of messages) {
    const match = /condition (\d+)/i.exec(message);
    const index = match ? Number(match[1]) - 1 : -1;
    if (index >= 0 && index < rows) {
      byRow.set(index, [...(byRow.get(index) ?? []), message]);
    } else {
      other.push(message);
    }
  }
  return { byRow, other };
}
