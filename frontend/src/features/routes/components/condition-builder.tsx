// Rows of (JSONPath, operator, value); every row is checked as it is typed, and errors
// the server found are shown on the row they name.

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { cn } from "@/lib/cn";
import { humanize } from "@/lib/format";

import { emptyRow, splitServerErrors, validateRow, valuePlaceholder, type ConditionRow } from "../conditions";

interface ConditionBuilderProps {
  rows: ConditionRow[];
  operators: string[];
  onChange: (rows: ConditionRow[]) => void;
  serverErrors?: string[];
}

function RowError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="mt-1 text-xs font-medium text-red-700">
      {message}
    </p>
  );
}

export function ConditionBuilder({ rows, operators, onChange, serverErrors = [] }: ConditionBuilderProps) {
  const { byRow, other } = splitServerErrors(serverErrors, rows.length);
  const update = (index: number, patch: Partial<ConditionRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const remove = (index: number) => onChange(rows.filter((_, i) => i !== index));

  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-gray-800">Conditions</legend>
      <p className="text-xs text-gray-500">
        Every condition must pass. Paths are JSONPath into the payload, e.g. <code className="font-mono">$.ref</code> or{" "}
        <code className="font-mono">$.commits[*].author.name</code>.
      </p>
      {rows.length === 0 && <p className="text-sm text-gray-600">No conditions: every event of the chosen types matches.</p>}
      <ol className="space-y-3">
        {rows.map((row, index) => {
          const problems = validateRow(row);
          const n = index + 1;
          const pathErrorId = `${row.key}-path-error`;
          const valueErrorId = `${row.key}-value-error`;
          return (
            <li key={row.key} className="rounded-md border border-gray-200 bg-gray-50 p-3">
              <div className="grid gap-2 sm:grid-cols-[minmax(0,1.3fr)_minmax(0,0.8fr)_minmax(0,1.3fr)_auto] sm:items-start">
                <div>
                  <label htmlFor={`${row.key}-path`} className="sr-only">
                    Condition {n} path
                  </label>
                  <input
                    id={`${row.key}-path`}
                    value={row.path}
                    placeholder="$.ref"
                    spellCheck={false}
                    aria-invalid={problems.path ? true : undefined}
                    aria-describedby={problems.path ? pathErrorId : undefined}
                    className={cn(controlClass, "font-mono")}
                    onChange={(e) => update(index, { path: e.target.value })}
                  />
                  <RowError id={pathErrorId} message={problems.path} />
                </div>
                <div>
                  <label htmlFor={`${row.key}-op`} className="sr-only">
                    Condition {n} operator
                  </label>
                  <select
                    id={`${row.key}-op`}
                    value={row.op}
                    className={controlClass}
                    onChange={(e) => update(index, { op: e.target.value })}
                  >
                    {(operators.includes(row.op) ? operators : [row.op, ...operators]).map((op) => (
                      <option key={op} value={op}>
                        {humanize(op)}
                      </option>
                    ))}
                  </select>
                </div>
                <div>
                  <label htmlFor={`${row.key}-value`} className="sr-only">
                    Condition {n} value
                  </label>
                  <input
                    id={`${row.key}-value`}
                    value={row.value}
                    placeholder={valuePlaceholder(row.op)}
                    spellCheck={false}
                    aria-invalid={problems.value ? true : undefined}
                    aria-describedby={problems.value ? valueErrorId : undefined}
                    className={cn(controlClass, "font-mono")}
                    onChange={(e) => update(index, { value: e.target.value })}
                  />
                  <RowError id={valueErrorId} message={problems.value} />
                </div>
                <Button size="sm" variant="ghost" aria-label={`Remove condition ${n}`} onClick={() => remove(index)} className="sm:mt-0.5">
                  Remove
                </Button>
              </div>
              {byRow.get(index)?.map((message) => (
                <p key={message} role="alert" className="mt-2 text-xs font-medium text-red-700">
                  Server: {message}
                </p>
              ))}
            </li>
          );
        })}
      </ol>
      {other.length > 0 && (
        <div role="alert" className="space-y-1 text-xs font-medium text-red-700">
          {other.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <Button size="sm" onClick={() => onChange([...rows, emptyRow()])}>
        Add condition
      </Button>
    </fieldset>
  );
}
