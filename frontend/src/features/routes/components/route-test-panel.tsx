// "Test this route": run a sample event through the route's matching and transformer on
// the server, without delivering anything.

import { useState, type FormEvent } from "react";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormErrors, TextAreaField, TextField } from "@/components/ui/field";
import { CodeBlock, JsonViewer } from "@/components/ui/json-viewer";
import { errorMessage, humanize, prettyJson } from "@/lib/format";
import { parseJson, parseOptionalObject } from "@/lib/json";
import type { Route, RouteTestResult } from "@/types/api";

import { useTestRoute } from "../api/routes";
import { isGroup } from "../conditions";

function sampleFor(route: Route): string {
  const sample: Record<string, unknown> = {};
  for (const condition of route.conditions) {
    // Only top-level body conditions say what a sample needs; groups may want several shapes.
    if (isGroup(condition)) continue;
    const match = /^\$\.([A-Za-z_][\w]*)$/.exec(condition.path);
    if (match?.[1] && condition.value !== undefined && !Array.isArray(condition.value)) {
      sample[match[1]] = condition.value;
    }
  }
  return prettyJson(Object.keys(sample).length ? sample : { hello: "world" });
}

function TestOutcome({ route, result }: { route: Route; result: RouteTestResult }) {
  const failed = result.failed_condition;
  // `index` is the top-level item; in a group, path/op/value are the leaf that failed.
  const top = failed ? route.conditions[failed.index] : undefined;
  const where = failed ? (top && isGroup(top) ? `In group ${failed.index + 1}, this condition failed` : `Condition ${failed.index + 1} failed`) : "";
  return (
    <section aria-label="Test result" className="space-y-3 rounded-md border border-gray-200 p-4">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={result.matched ? "success" : "warning"}>{result.matched ? "Match" : "No match"}</Badge>
        {/* A failed condition's reason is its detail, said once in the box below. */}
        {result.reason && !failed && <span className="text-sm text-gray-700">{result.reason}</span>}
      </div>
      {failed && (
        <div className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          <p className="font-medium">
            {where}:{" "}
            <span className="font-mono">
              {failed.path ?? "?"} {failed.op ? humanize(failed.op).toLowerCase() : "?"}{" "}
              {failed.value === undefined || failed.value === null ? "" : JSON.stringify(failed.value)}
            </span>
          </p>
          {(failed.detail || result.reason) && <p className="mt-1">{failed.detail || result.reason}</p>}
        </div>
      )}
      {result.error && (
        <p role="alert" className="text-sm text-red-700">
          <span className="font-medium">Error:</span> {result.error}
        </p>
      )}
      {result.output && (
        <div className="space-y-1">
          <p className="text-sm font-medium text-gray-800">
            Transformed output <span className="font-mono text-xs font-normal text-gray-500">{result.output.content_type}</span>
          </p>
          {typeof result.output.body === "string" ? (
            <CodeBlock label="Transformed output">{result.output.body}</CodeBlock>
          ) : (
            <JsonViewer value={result.output.body} label="Transformed output" />
          )}
        </div>
      )}
    </section>
  );
}

export function RouteTestPanel({ route, onClose }: { route: Route; onClose: () => void }) {
  const test = useTestRoute();
  const [eventType, setEventType] = useState(route.event_types.find((type) => type !== "*") ?? "");
  const [payload, setPayload] = useState(() => sampleFor(route));
  const [headers, setHeaders] = useState("{}");
  const parsedPayload = parseJson(payload);
  const parsedHeaders = parseOptionalObject(headers);
  const headersError = parsedHeaders.ok
    ? Object.values(parsedHeaders.value ?? {}).some((value) => typeof value !== "string")
      ? "Header values must be strings"
      : undefined
    : parsedHeaders.error;
  const valid = parsedPayload.ok && headersError === undefined;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!parsedPayload.ok || !parsedHeaders.ok || headersError) return;
    const headerMap = Object.fromEntries(
      Object.entries(parsedHeaders.value ?? {}).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
    );
    test.mutate({ id: route.id, input: { event_type: eventType.trim(), payload: parsedPayload.value, headers: headerMap } });
  };

  return (
    <Dialog
      title={`Test ${route.name}`}
      description="Runs a sample event through this route's event types, conditions and transformer. Nothing is delivered."
      onClose={onClose}
      size="xl"
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button type="submit" form="route-test-form" variant="primary" loading={test.isPending} disabled={!valid}>
            Run test
          </Button>
        </>
      }
    >
      <form id="route-test-form" onSubmit={submit} className="space-y-4" noValidate>
        <TextField
          label="Event type"
          value={eventType}
          inputClassName="font-mono"
          placeholder="push"
          onChange={(e) => setEventType(e.target.value)}
        />
        <div className="grid gap-4 lg:grid-cols-2">
          <TextAreaField
            label="Sample payload (JSON)"
            rows={10}
            value={payload}
            error={parsedPayload.ok ? undefined : parsedPayload.error}
            onChange={(e) => setPayload(e.target.value)}
          />
          <TextAreaField
            label="Headers (JSON object)"
            rows={10}
            value={headers}
            error={headersError}
            onChange={(e) => setHeaders(e.target.value)}
          />
        </div>
        {test.isError && <FormErrors messages={[errorMessage(test.error)]} />}
        {test.data && <TestOutcome route={route} result={test.data} />}
      </form>
    </Dialog>
  );
}
