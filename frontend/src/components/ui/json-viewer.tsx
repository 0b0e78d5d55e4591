// A collapsible JSON tree on <details>/<summary>, so every node opens with the keyboard.

import { useState, type ReactNode } from "react";

import { prettyJson } from "@/lib/format";

import { Button } from "./button";
import { CopyButton } from "./copy-button";

type Value = unknown;

function isContainer(value: Value): value is Record<string, Value> | Value[] {
  return typeof value === "object" && value !== null;
}

function entriesOf(value: Record<string, Value> | Value[]): [string, Value][] {
  return Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
}

function Primitive({ value }: { value: Value }) {
  if (typeof value === "string") {
    return <span className="break-all text-emerald-700">{JSON.stringify(value)}</span>;
  }
  if (typeof value === "number") {
    return <span className="text-sky-700">{value}</span>;
  }
  if (typeof value === "boolean") {
    return <span className="text-indigo-700">{String(value)}</span>;
  }
  return <span className="text-gray-500">null</span>;
}

/** One line of the tree; the gutter holds the open/close arrow of containers. */
function Line({ gutter, children }: { gutter?: ReactNode; children: ReactNode }) {
  return (
    <div className="flex">
      <span aria-hidden="true" className="inline-block w-4 shrink-0 text-gray-400">
        {gutter}
      </span>
      <span className="min-w-0">{children}</span>
    </div>
  );
}

function Node({ name, value, depth, openDepth }: { name?: string; value: Value; depth: number; openDepth: number }) {
  const label = name !== undefined && <span className="text-gray-700">{name}: </span>;
  if (!isContainer(value)) {
    return (
      <Line>
        {label}
        <Primitive value={value} />
      </Line>
    );
  }
  const entries = entriesOf(value);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    return (
      <Line>
        {label}
        <span className="text-gray-500">
          {open}
          {close}
        </span>
      </Line>
    );
  }
  return (
    <details open={depth < openDepth} className="group">
      <summary className="cursor-pointer list-none select-none">
        <Line gutter={<span className="inline-block transition-transform group-open:rotate-90">▸</span>}>
          {label}
          <span className="text-gray-500">
            {open}
            <span className="group-open:hidden">
              {" "}
              {entries.length} {Array.isArray(value) ? "items" : "keys"} {close}
            </span>
          </span>
        </Line>
      </summary>
      <div className="ml-1.5 border-l border-gray-200 pl-2.5">
        {entries.map(([key, child]) => (
          <Node key={key} name={Array.isArray(value) ? undefined : key} value={child} depth={depth + 1} openDepth={openDepth} />
        ))}
      </div>
      <Line>
        <span className="text-gray-500">{close}</span>
      </Line>
    </details>
  );
}

export function JsonViewer({ value, label }: { value: Value; label: string }) {
  const [view, setView] = useState({ openDepth: 2, generation: 0 });
  const expand = (openDepth: number) => setView((current) => ({ openDepth, generation: current.generation + 1 }));
  return (
    <div className="rounded-md border border-gray-200 bg-gray-50">
      <div className="flex flex-wrap items-center justify-end gap-2 border-b border-gray-200 px-2 py-1.5">
        <Button size="sm" variant="ghost" onClick={() => expand(Infinity)}>
          Expand all
        </Button>
        <Button size="sm" variant="ghost" onClick={() => expand(1)}>
          Collapse all
        </Button>
        <CopyButton value={prettyJson(value)} label={`Copy ${label}`} />
      </div>
      <div role="region" tabIndex={0} aria-label={label} className="max-h-[32rem] overflow-auto p-2 font-mono text-xs leading-5">
        <div key={view.generation}>
          <Node value={value} depth={0} openDepth={view.openDepth} />
        </div>
      </div>
    </div>
  );
}

/** Preformatted text (raw bodies, response excerpts) in a scrollable monospace box. */
export function CodeBlock({ children, label }: { children: string; label: string }) {
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="max-h-96 overflow-auto rounded-md border border-gray-200 bg-gray-50 p-3 font-mono text-xs leading-5 break-all whitespace-pre-wrap text-gray-800"
    >
      {children === "" ? <span className="text-gray-400">(empty)</span> : children}
    </pre>
  );
}
