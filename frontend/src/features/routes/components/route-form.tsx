// Create or edit a route: which source's events, of which types, passing which
// conditions, go to which destination, transformed how.

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, FormErrors, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { useAllDestinations } from "@/features/destinations/api/destinations";
import { useAllSources } from "@/features/sources/api/sources";
import { useTransformers } from "@/features/transformers/api/transformers";
import { isApiError } from "@/lib/api-client";
import { errorMessage, nonFieldErrors, prettyJson } from "@/lib/format";
import { parseOptionalObject } from "@/lib/json";
import type { Route, RouteInput } from "@/types/api";

import { FALLBACK_OPERATORS, useCreateRoute, useOperators, useUpdateRoute } from "../api/routes";
import { hasProblems, rowFromCondition, rowToCondition, validateRow, type ConditionRow } from "../conditions";
import { ConditionBuilder } from "./condition-builder";
import { EventTypesInput, mergeEventTypes } from "./event-types-input";

const FIELDS = [
  "name",
  "source",
  "destination",
  "event_types",
  "conditions",
  "transformer",
  "transformer_options",
  "priority",
  "rate_limit_per_minute",
  "is_active",
] as const;

const IDENTITY_TRANSFORMERS = ["passthrough", "identity", "raw", "none"];

interface RouteFormProps {
  route?: Route;
  onClose: () => void;
  onSaved: (route: Route) => void;
}

export function RouteForm({ route, onClose, onSaved }: RouteFormProps) {
  const creating = route === undefined;
  const sources = useAllSources();
  const destinations = useAllDestinations();
  const transformers = useTransformers();
  const operators = useOperators();
  const create = useCreateRoute();
  const update = useUpdateRoute();
  const mutation = creating ? create : update;

  const [name, setName] = useState(route?.name ?? "");
  const [source, setSource] = useState(route ? String(route.source) : "");
  const [destination, setDestination] = useState(route ? String(route.destination) : "");
  const [eventTypes, setEventTypes] = useState<string[]>(route?.event_types ?? []);
  const [pendingType, setPendingType] = useState("");
  const [rows, setRows] = useState<ConditionRow[]>(() => (route?.conditions ?? []).map(rowFromCondition));
  const [transformer, setTransformer] = useState<string | null>(route?.transformer ?? null);
  const [options, setOptions] = useState(
    route && Object.keys(route.transformer_options).length > 0 ? prettyJson(route.transformer_options) : "",
  );
  const [priority, setPriority] = useState(String(route?.priority ?? 100));
  const [rateLimit, setRateLimit] = useState(String(route?.rate_limit_per_minute ?? 0));
  const [active, setActive] = useState(route?.is_active ?? true);
  const [submitted, setSubmitted] = useState(false);

  const identity = transformers.data?.find((t) => IDENTITY_TRANSFORMERS.includes(t.name))?.name;
  const chosenTransformer = transformer ?? identity ?? "";
  const description = transformers.data?.find((t) => t.name === chosenTransformer)?.description;
  const parsedOptions = parseOptionalObject(options);
  const rowsValid = rows.every((row) => !hasProblems(validateRow(row)));
  const fieldError = (field: string) => (isApiError(mutation.error) ? mutation.error.fieldError(field) : undefined);
  const localError = (field: "name" | "source" | "destination") => {
    if (!submitted) return undefined;
    if (field === "name" && name.trim() === "") return "Give the route a name";
    if (field === "source" && source === "") return "Choose a source";
    if (field === "destination" && destination === "") return "Choose a destination";
    return undefined;
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (!rowsValid || !parsedOptions.ok || name.trim() === "" || source === "" || destination === "") {
      return;
    }
    const allTypes = mergeEventTypes(eventTypes, pendingType);
    setEventTypes(allTypes);
    setPendingType("");
    const input: RouteInput = {
      name: name.trim(),
      source: Number(source),
      destination: Number(destination),
      event_types: allTypes,
      conditions: rows.map(rowToCondition),
      ...(chosenTransformer ? { transformer: chosenTransformer } : {}),
      transformer_options: parsedOptions.value ?? {},
      priority: Number(priority) || 0,
      rate_limit_per_minute: Number(rateLimit) || 0,
      is_active: active,
    };
    if (route) {
      update.mutate({ id: route.id, input }, { onSuccess: onSaved });
    } else {
      create.mutate(input, { onSuccess: onSaved });
    }
  };

  const serverConditionErrors = isApiError(mutation.error) ? (mutation.error.fields.conditions ?? []) : [];
  const general = isApiError(mutation.error)
    ? Object.keys(mutation.error.fields).length === 0
      ? [mutation.error.message]
      : nonFieldErrors(mutation.error, FIELDS)
    : mutation.error
      ? [errorMessage(mutation.error)]
      : [];

  return (
    <Dialog
      title={creating ? "New route" : `Edit ${route.name}`}
      description="Events from the source that match the types and every condition are sent to the destination."
      onClose={onClose}
      size="xl"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="route-form" variant="primary" loading={mutation.isPending}>
            {creating ? "Create route" : "Save changes"}
          </Button>
        </>
      }
    >
      <form id="route-form" onSubmit={submit} className="space-y-5" noValidate>
        <FormErrors messages={general} />
        {submitted && !rowsValid && <FormErrors messages={["Fix the highlighted conditions before saving."]} />}
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Name"
            required
            value={name}
            error={localError("name") ?? fieldError("name")}
            onChange={(e) => setName(e.target.value)}
          />
          <SelectField
            label="Source"
            required
            value={source}
            error={localError("source") ?? fieldError("source")}
            disabled={sources.isPending}
            onChange={(e) => setSource(e.target.value)}
          >
            <option value="">{sources.isPending ? "Loading…" : "Choose a source"}</option>
            {sources.data?.results.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name} ({item.slug})
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Destination"
            required
            value={destination}
            error={localError("destination") ?? fieldError("destination")}
            disabled={destinations.isPending}
            onChange={(e) => setDestination(e.target.value)}
          >
            <option value="">{destinations.isPending ? "Loading…" : "Choose a destination"}</option>
            {destinations.data?.results.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </SelectField>
        </div>
        <EventTypesInput
          value={eventTypes}
          onChange={setEventTypes}
          pending={pendingType}
          onPendingChange={setPendingType}
          error={fieldError("event_types")}
        />
        <ConditionBuilder
          rows={rows}
          operators={operators.data ?? FALLBACK_OPERATORS}
          onChange={setRows}
          serverErrors={serverConditionErrors}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Transformer"
            value={chosenTransformer}
            error={fieldError("transformer")}
            hint={
              transformers.isError
                ? `Could not load transformers: ${errorMessage(transformers.error)}`
                : (description ?? "The payload is sent as received.")
            }
            onChange={(e) => setTransformer(e.target.value)}
          >
            {!identity && <option value="">None (send the payload as received)</option>}
            {transformers.data?.map((item) => (
              <option key={item.name} value={item.name}>
                {item.name}
              </option>
            ))}
          </SelectField>
          <TextAreaField
            label="Transformer options (JSON, optional)"
            rows={3}
            value={options}
            placeholder='{"channel": "#dev"}'
            error={parsedOptions.ok ? fieldError("transformer_options") : parsedOptions.error}
            onChange={(e) => setOptions(e.target.value)}
          />
        </div>
        <div className="grid items-start gap-4 sm:grid-cols-3">
          <TextField
            label="Priority"
            type="number"
            value={priority}
            hint="Orders the routes that match the same event."
            error={fieldError("priority")}
            onChange={(e) => setPriority(e.target.value)}
          />
          <TextField
            label="Rate limit (per minute)"
            type="number"
            min={0}
            value={rateLimit}
            hint="0 means no limit."
            error={fieldError("rate_limit_per_minute")}
            onChange={(e) => setRateLimit(e.target.value)}
          />
          <CheckboxField className="sm:pt-8" label="Active" checked={active} onChange={(e) => setActive(e.target.checked)} />
        </div>
      </form>
    </Dialog>
  );
}
