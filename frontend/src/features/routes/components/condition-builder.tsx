// Conditions as rows of (what is read, operator, value) and groups of them ("any of",
// "all of", "not"), nested; every row is checked as it is typed, and errors the server
// found are shown on the row or group whose place they name.

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { cn } from "@/lib/cn";
import { humanize } from "@/lib/format";

import {
  buildPath,
  childPlace,
  emptyGroup,
  emptyRow,
  GROUP_LABELS,
  pathKind,
  pathName,
  splitServerErrors,
  switchPathKind,
  topPlace,
  validateGroup,
  validateRow,
  valuePlaceholder,
  type ConditionGroupRow,
  type ConditionItem,
  type ConditionRow,
  type GroupKind,
  type PathKind,
} from "../conditions";

interface ConditionBuilderProps {
  rows: ConditionItem[];
  operators: string[];
  onChange: (rows: ConditionItem[]) => void;
  serverErrors?: string[];
}

/** What every level of the tree needs from the top. */
interface Shared {
  operators: string[];
  byPlace: Map<string, string[]>;
}

const PATH_KINDS: { kind: PathKind; label: string }[] = [
  { kind: "body", label: "Body (JSONPath)" },
  { kind: "header", label: "Header" },
  { kind: "query", label: "Query parameter" },
];

const NAME_LABEL: Record<PathKind, string> = { body: "path", header: "header name", query: "query parameter" };
const NAME_PLACEHOLDER: Record<PathKind, string> = { body: "$.ref", header: "x-github-event", query: "tenant" };

function RowError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="mt-1 text-xs font-medium text-red-700">
      {message}
    </p>
  );
}

// The server's messages read like the browser's: they arrive as the user types, by the
// same rules a save applies, so where they come from is nothing the user needs to know.
function ServerErrors({ messages }: { messages?: string[] }) {
  return messages?.map((message) => (
    <p key={message} role="alert" className="mt-2 text-xs font-medium text-red-700">
      {message}
    </p>
  ));
}

/** "Add condition" and the three kinds of group; `target` names the group they add to, if any. */
function AddButtons({ target, onAdd }: { target?: string; onAdd: (item: ConditionItem) => void }) {
  const suffix = target ? ` to group ${target}` : "";
  const groups: GroupKind[] = ["any", "all", "not"];
  return (
    <div className="flex flex-wrap gap-2">
      <Button size="sm" aria-label={`Add condition${suffix}`} onClick={() => onAdd(emptyRow())}>
        Add condition
      </Button>
      {groups.map((group) => (
        <Button key={group} size="sm" variant="ghost" aria-label={`Add “${GROUP_LABELS[group].toLowerCase()}” group${suffix}`} onClick={() => onAdd(emptyGroup(group))}>
          + “{GROUP_LABELS[group].toLowerCase()}” group
        </Button>
      ))}
    </div>
  );
}

function LeafRow({
  row,
  label,
  place,
  shared,
  onChange,
}: {
  row: ConditionRow;
  label: string;
  place: string;
  shared: Shared;
  onChange: (row: ConditionRow | null) => void;
}) {
  const problems = validateRow(row);
  const kind = pathKind(row.path);
  const pathErrorId = `${row.key}-path-error`;
  const valueErrorId = `${row.key}-value-error`;
  const update = (patch: Partial<ConditionRow>) => onChange({ ...row, ...patch });
  const { operators } = shared;
  return (
    <li className="rounded-md border border-gray-200 bg-gray-50 p-3">
      <div className="grid gap-2 sm:grid-cols-[minmax(0,0.8fr)_minmax(0,1.3fr)_minmax(0,0.8fr)_minmax(0,1.3fr)_auto] sm:items-start">
        <div>
          <label htmlFor={`${row.key}-kind`} className="sr-only">
            Condition {label} reads
          </label>
          <select
            id={`${row.key}-kind`}
            value={kind}
            className={controlClass}
            onChange={(e) => update({ path: switchPathKind(e.target.value as PathKind) })}
          >
            {PATH_KINDS.map((option) => (
              <option key={option.kind} value={option.kind}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${row.key}-path`} className="sr-only">
            Condition {label} {NAME_LABEL[kind]}
          </label>
          <input
            id={`${row.key}-path`}
            value={pathName(row.path)}
            placeholder={NAME_PLACEHOLDER[kind]}
            spellCheck={false}
            aria-invalid={problems.path ? true : undefined}
            aria-describedby={problems.path ? pathErrorId : undefined}
            className={cn(controlClass, "font-mono")}
            // In the body box, typing "headers.x" or "query.x" switches the kind: free text works too.
            onChange={(e) => update({ path: kind === "body" ? e.target.value : buildPath(kind, e.target.value) })}
          />
          <RowError id={pathErrorId} message={problems.path} />
        </div>
        <div>
          <label htmlFor={`${row.key}-op`} className="sr-only">
            Condition {label} operator
          </label>
          <select id={`${row.key}-op`} value={row.op} className={controlClass} onChange={(e) => update({ op: e.target.value })}>
            {(operators.includes(row.op) ? operators : [row.op, ...operators]).map((op) => (
              <option key={op} value={op}>
                {humanize(op)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${row.key}-value`} className="sr-only">
            Condition {label} value
          </label>
          <input
            id={`${row.key}-value`}
            value={row.value}
            placeholder={valuePlaceholder(row.op)}
            spellCheck={false}
            aria-invalid={problems.value ? true : undefined}
            aria-describedby={problems.value ? valueErrorId : undefined}
            className={cn(controlClass, "font-mono")}
            onChange={(e) => update({ value: e.target.value })}
          />
          <RowError id={valueErrorId} message={problems.value} />
        </div>
        <Button size="sm" variant="ghost" aria-label={`Remove condition ${label}`} onClick={() => onChange(null)} className="sm:mt-0.5">
          Remove
        </Button>
      </div>
      <ServerErrors messages={shared.byPlace.get(place)} />
    </li>
  );
}

function GroupBox({
  group,
  label,
  place,
  shared,
  onChange,
}: {
  group: ConditionGroupRow;
  label: string;
  place: string;
  shared: Shared;
  onChange: (group: ConditionGroupRow | null) => void;
}) {
  const problem = validateGroup(group).group;
  const problemId = `${group.key}-group-error`;
  const full = group.group === "not" && group.items.length >= 1;
  return (
    <li
      aria-label={`Group ${label}`}
      aria-describedby={problem ? problemId : undefined}
      className="space-y-3 rounded-md border border-indigo-200 bg-indigo-50/40 p-3"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-2">
          <label htmlFor={`${group.key}-kind`} className="sr-only">
            Group {label} kind
          </label>
          <div className="w-32 shrink-0">
            <select
              id={`${group.key}-kind`}
              value={group.group}
              className={controlClass}
              onChange={(e) => onChange({ ...group, group: e.target.value as GroupKind })}
            >
              {(Object.keys(GROUP_LABELS) as GroupKind[]).map((kind) => (
                <option key={kind} value={kind}>
                  {GROUP_LABELS[kind]}
                </option>
              ))}
            </select>
          </div>
          <span className="text-xs text-gray-600">
            {group.group === "any" && "passes when at least one item passes"}
            {group.group === "all" && "passes when every item passes"}
            {group.group === "not" && "passes when its one item fails"}
          </span>
        </div>
        <Button size="sm" variant="ghost" aria-label={`Remove group ${label}`} onClick={() => onChange(null)}>
          Remove group
        </Button>
      </div>
      <RowError id={problemId} message={problem} />
      <ServerErrors messages={shared.byPlace.get(place)} />
      <ItemList
        items={group.items}
        parent={{ place, label, group: group.group }}
        shared={shared}
        onChange={(items) => onChange({ ...group, items })}
      />
      {!full && <AddButtons target={label} onAdd={(item) => onChange({ ...group, items: [...group.items, item] })} />}
    </li>
  );
}

function ItemList({
  items,
  parent,
  shared,
  onChange,
}: {
  items: ConditionItem[];
  parent?: { place: string; label: string; group: GroupKind };
  shared: Shared;
  onChange: (items: ConditionItem[]) => void;
}) {
  if (items.length === 0) return null;
  const replace = (index: number, item: ConditionItem | null) =>
    onChange(item ? items.map((old, i) => (i === index ? item : old)) : items.filter((_, i) => i !== index));
  return (
    <ol className="space-y-3">
      {items.map((item, index) => {
        const place = parent ? childPlace(parent.place, parent.group, index) : topPlace(index);
        const label = parent ? `${parent.label}.${index + 1}` : String(index + 1);
        const props = { label, place, shared, onChange: (next: ConditionItem | null) => replace(index, next) };
        return item.kind === "leaf" ? (
          <LeafRow key={item.key} row={item} {...props} />
        ) : (
          <GroupBox key={item.key} group={item} {...props} />
        );
      })}
    </ol>
  );
}

export function ConditionBuilder({ rows, operators, onChange, serverErrors = [] }: ConditionBuilderProps) {
  const { byPlace, other } = splitServerErrors(serverErrors, rows);
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-gray-800">Conditions</legend>
      <p className="text-xs text-gray-500">
        Every item must pass; a group combines its items with “any of”, “all of” or “not”. A condition reads the body by
        JSONPath (<code className="font-mono">$.ref</code>, <code className="font-mono">$.commits[*].author.name</code>),
        a header (<code className="font-mono">headers.x-github-event</code>, any case) or a query parameter (
        <code className="font-mono">query.tenant</code>).
      </p>
      {rows.length === 0 && <p className="text-sm text-gray-600">No conditions: every event of the chosen types matches.</p>}
      <ItemList items={rows} shared={{ operators, byPlace }} onChange={onChange} />
      {other.length > 0 && (
        <div role="alert" className="space-y-1 text-xs font-medium text-red-700">
          {other.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <AddButtons onAdd={(item) => onChange([...rows, item])} />
    </fieldset>
  );
}
