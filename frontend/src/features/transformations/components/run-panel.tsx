// "Run": the code in the editor (saved or not) against a stored event or a pasted sample,
// on the server's sandbox; shows the output, whether the route would be skipped, the
// console lines, the time taken and any error. Nothing is delivered.

import { useState, type FormEvent } from "react";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormErrors, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { CodeBlock, JsonViewer } from "@/components/ui/json-viewer";
import { errorMessage, prettyJson } from "@/lib/format";
import { isJsonObject, parseJson, type Parsed } from "@/lib/json";
import { type Lookup } from "@/lib/react-query";
import type { DeliverySummary, JsonObject, Paginated, Source, TransformationRunEvent, TransformationRunResult } from "@/types/api";

import { useRunTransformationCode } from "../api/transformations";
import { SAMPLE_EVENT } from "../starter";

export interface RunPanelProps {
  /** The code as it stands in the editor. */
  code: string;
  /** From other features, read by the page: the sources, and the recent events of the one chosen. */
  sources: Lookup<Paginated<Source>>;
  recentEvents: Lookup<Paginated<DeliverySummary>>;
  eventSource: string;
  onEventSourceChange: (source: string) => void;
}

type Mode = "sample" | "stored";

function parseSample(text: string): Parsed<JsonObject> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  return isJsonObject(parsed.value) ? { ok: true, value: parsed.value } : { ok: false, error: "The event must be a JSON object ({…})" };
}

function parseEventId(text: string): Parsed<number> {
  const id = Number(text.trim());
  return text.trim() !== "" && Number.isInteger(id) && id > 0 ? { ok: true, value: id } : { ok: false, error: "Enter an event id (a whole number)" };
}

function RunResult({ result }: { result: TransformationRunResult }) {
  const headers = result.output?.headers ?? {};
  return (
    <section aria-label="Run result" className="space-y-3 rounded-md border border-gray-200 p-4">
      <div className="flex flex-wrap items-center gap-2">
        {result.error ? (
          <Badge tone="danger">Failed</Badge>
        ) : result.skipped ? (
          <Badge tone="neutral">Skipped</Badge>
        ) : (
          <Badge tone="success">Output</Badge>
        )}
        <span className="text-sm text-gray-600">took {result.duration_ms.toLocaleString(undefined, { maximumFractionDigits: 2 })} ms</span>
      </div>
      {result.error && (
        <p role="alert" className="text-sm whitespace-pre-wrap text-red-700">
          <span className="font-medium">Error:</span> {result.error}
        </p>
      )}
      {result.skipped && !result.error && (
        <p className="text-sm text-gray-700">
          transform returned <code className="font-mono">null</code>: a route using it would not deliver this event (its
          outcome is “filtered”).
        </p>
      )}
      {result.output && (
        <div className="space-y-1">
          <p className="text-sm font-medium text-gray-800">Body</p>
          {typeof result.output.body === "string" ? (
            <CodeBlock label="Output body">{result.output.body}</CodeBlock>
          ) : (
            <JsonViewer value={result.output.body} label="Output body" />
          )}
          {Object.keys(headers).length > 0 && (
            <>
              <p className="pt-2 text-sm font-medium text-gray-800">Headers (merged over the outbound ones)</p>
              <JsonViewer value={headers} label="Output headers" />
            </>
          )}
        </div>
      )}
      <div className="space-y-1">
        <p className="text-sm font-medium text-gray-800">Console</p>
        {result.logs.length === 0 ? (
          <p className="text-xs text-gray-500">No console output.</p>
        ) : (
          <ol aria-label="Console output" className="space-y-0.5 rounded-md bg-gray-900 p-3 font-mono text-xs text-gray-100">
            {result.logs.map((line, index) => (
              <li key={index} className="break-all whitespace-pre-wrap">
                {line}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

export function RunPanel({ code, sources, recentEvents, eventSource, onEventSourceChange }: RunPanelProps) {
  const run = useRunTransformationCode();
  const [mode, setMode] = useState<Mode>("sample");
  const [sample, setSample] = useState(() => prettyJson(SAMPLE_EVENT));
  const [eventId, setEventId] = useState("");
  const [touched, setTouched] = useState(false);
  const parsedSample = parseSample(sample);
  const parsedId = parseEventId(eventId);
  const input: Parsed<TransformationRunEvent> =
    mode === "sample"
      ? parsedSample.ok
        ? { ok: true, value: { event: parsedSample.value } }
        : parsedSample
      : parsedId.ok
        ? { ok: true, value: { event_id: parsedId.value } }
        : parsedId;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTouched(true);
    if (input.ok) run.mutate({ code, ...input.value });
  };

  return (
    <form aria-label="Run panel" onSubmit={submit} className="space-y-4" noValidate>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-gray-800">Run against</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="run-mode" checked={mode === "sample"} onChange={() => setMode("sample")} />
            A sample event
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="run-mode" checked={mode === "stored"} onChange={() => setMode("stored")} />
            A stored event
          </label>
        </div>
      </fieldset>
      {mode === "sample" ? (
        <TextAreaField
          label="Sample event (JSON)"
          rows={12}
          value={sample}
          hint="What transform(event) receives: body, headers, event_type, source, received_at."
          error={parsedSample.ok ? undefined : parsedSample.error}
          onChange={(e) => setSample(e.target.value)}
        />
      ) : (
        <div className="space-y-3">
          <div className="grid gap-3 sm:grid-cols-2">
            <SelectField
              label="Recent events of"
              value={eventSource}
              disabled={sources.isPending}
              onChange={(e) => onEventSourceChange(e.target.value)}
            >
              <option value="">All sources</option>
              {sources.data?.results.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Recent event"
              value={recentEvents.data?.results.some((item) => String(item.id) === eventId) ? eventId : ""}
              disabled={recentEvents.isPending}
              hint={recentEvents.isError ? `Could not load events: ${errorMessage(recentEvents.error)}` : undefined}
              onChange={(e) => setEventId(e.target.value)}
            >
              <option value="">{recentEvents.isPending ? "Loading…" : "Pick an event"}</option>
              {recentEvents.data?.results.map((item) => (
                <option key={item.id} value={item.id}>
                  #{item.id} {item.event_type || "(no type)"} · {item.source_slug} · {new Date(item.received_at).toLocaleString()}
                </option>
              ))}
            </SelectField>
          </div>
          <TextField
            label="Event id"
            inputMode="numeric"
            inputClassName="font-mono"
            value={eventId}
            error={touched && !parsedId.ok ? parsedId.error : undefined}
            onChange={(e) => setEventId(e.target.value)}
          />
        </div>
      )}
      {run.isError && <FormErrors messages={[errorMessage(run.error)]} />}
      <Button type="submit" variant="primary" loading={run.isPending} disabled={mode === "sample" && !parsedSample.ok}>
        Run
      </Button>
      {run.data && <RunResult result={run.data} />}
    </form>
  );
}
