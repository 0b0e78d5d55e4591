// Create or edit a route: which source's events, of which types, passing which
// conditions, go to which destination, transformed how: by a built-in transformer or by
// a JavaScript transformation (exactly one of them).

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, useWatch } from "react-hook-form";
import { Link } from "react-router";
import { z } from "zod/mini";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, FormErrors, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { paths } from "@/config/paths";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { isApiError } from "@/lib/api-client";
import { generalErrors, setServerErrors, useServerForm } from "@/lib/form";
import { errorMessage, prettyJson } from "@/lib/format";
import { parseOptionalObject } from "@/lib/json";
import { type Lookup } from "@/lib/react-query";
import type { Destination, Paginated, Route, RouteInput, Source, Transformation, Transformer } from "@/types/api";


import { FALLBACK_OPERATORS, useCreateRoute, useOperators, useRouteValidation, useUpdateRoute } from "../api/routes";
import { allValid, rowFromCondition, rowToCondition, type ConditionItem } from "../conditions";
import { ConditionBuilder } from "./condition-builder";
import { EventTypesInput, mergeEventTypes } from "./event-types-input";

const FIELDS = [
  "name",
  "source",
  "destination",
  "event_types",
  "conditions",
  "transformer",
  "transformation",
  "transformer_options",
  "priority",
  "rate_limit_per_minute",
  "ordering_key",
  "ordering_dead_letter_blocks",
  "is_active",
] as const;
// The condition builder shows the server's condition errors itself, row by row.
const FIELD_ERRORS_ON_FIELDS = FIELDS.filter((field) => field !== "conditions");

const IDENTITY_TRANSFORMERS = ["passthrough", "identity", "raw", "none"];

// The browser checks what it can know (the required picks, the conditions, the options'
// JSON); the server validates the rest.
const schema = z.object({
  name: z.string().check(z.trim(), z.minLength(1, "Give the route a name")),
  source: z.string().check(z.minLength(1, "Choose a source")),
  destination: z.string().check(z.minLength(1, "Choose a destination")),
  event_types: z.array(z.string()),
  conditions: z.array(z.custom<ConditionItem>()).check(z.refine(allValid, "Fix the highlighted conditions before saving.")),
  /** Which of the two shapes the payload: `transformer` or `transformation`. */
  shaping: z.enum(["builtin", "javascript"]),
  /** null: not chosen, the registry's identity transformer (if any) applies. */
  transformer: z.nullable(z.string()),
  /** A transformation's id, as the select holds it ("" until one is chosen). */
  transformation: z.string(),
  transformer_options: z.string().check(z.refine((text) => parseOptionalObject(text).ok)),
  priority: z.string(),
  rate_limit_per_minute: z.string(),
  ordering_key: z.string(),
  ordering_dead_letter_blocks: z.boolean(),
  is_active: z.boolean(),
});
type Values = z.infer<typeof schema>;

/** A JavaScript transformation must be chosen once that kind is; the other checks are per field. */
const formSchema = schema.check(
  z.refine((values) => values.shaping === "builtin" || values.transformation !== "", {
    message: "Choose a transformation",
    path: ["transformation"],
  }),
);

function initialValues(route?: Route): Values {
  return {
    name: route?.name ?? "",
    source: route ? String(route.source) : "",
    destination: route ? String(route.destination) : "",
    event_types: route?.event_types ?? [],
    conditions: (route?.conditions ?? []).map(rowFromCondition),
    shaping: route?.transformation ? "javascript" : "builtin",
    transformer: route?.transformer || null,
    transformation: route?.transformation ? String(route.transformation) : "",
    transformer_options:
      route && Object.keys(route.transformer_options).length > 0 ? prettyJson(route.transformer_options) : "",
    priority: String(route?.priority ?? 100),
    rate_limit_per_minute: String(route?.rate_limit_per_minute ?? 0),
    ordering_key: route?.ordering_key ?? "",
    ordering_dead_letter_blocks: route?.ordering_dead_letter_blocks ?? false,
    is_active: route?.is_active ?? true,
  };
}

export interface RouteFormProps {
  route?: Route;
  /** The pick-lists, from other features: the page reads them and hands them in. */
  sources: Lookup<Paginated<Source>>;
  destinations: Lookup<Paginated<Destination>>;
  transformers: Lookup<Transformer[]>;
  transformations: Lookup<Paginated<Transformation>>;
  onClose: () => void;
  onSaved: (route: Route) => void;
}

/**
 * Exactly one of `transformer` and `transformation`: the chosen one, and on an edit the
 * other cleared ("" or null) only when the route had it, so that the switch sticks.
 */
function shapingInput(
  values: Values,
  route: Route | undefined,
  transformer: string,
  options: RouteInput["transformer_options"],
): Pick<RouteInput, "transformer" | "transformation" | "transformer_options"> {
  if (values.shaping === "javascript") {
    return { transformation: Number(values.transformation), ...(route?.transformer ? { transformer: "" } : {}), transformer_options: {} };
  }
  return {
    ...(transformer ? { transformer } : {}),
    ...(route?.transformation ? { transformation: null } : {}),
    transformer_options: options,
  };
}

/** The route as the form would save it. */
function toInput(values: Values, route: Route | undefined, transformer: string, eventTypes: string[]): RouteInput {
  const options = parseOptionalObject(values.transformer_options);
  return {
    name: values.name,
    source: Number(values.source),
    destination: Number(values.destination),
    event_types: eventTypes,
    conditions: values.conditions.map(rowToCondition),
    ...shapingInput(values, route, transformer, (options.ok ? options.value : undefined) ?? {}),
    priority: Number(values.priority) || 0,
    rate_limit_per_minute: Number(values.rate_limit_per_minute) || 0,
    ordering_key: values.ordering_key.trim(),
    ordering_dead_letter_blocks: values.ordering_dead_letter_blocks,
    is_active: values.is_active,
  };
}

// Checked by the server as the user types, once typing pauses: the same rules as a save.
const LIVE_DELAY_MS = 400;
type LiveField = "name" | "event_types" | "transformer_options" | "priority" | "rate_limit_per_minute" | "ordering_key";

export function RouteForm({ route, sources, destinations, transformers, transformations, onClose, onSaved }: RouteFormProps) {
  const creating = route === undefined;
  const operators = useOperators();
  const create = useCreateRoute();
  const update = useUpdateRoute();
  const mutation = creating ? create : update;
  const { register, control, handleSubmit, setError, setValue, formState } = useServerForm<Values>({
    resolver: zodResolver(formSchema),
    defaultValues: initialValues(route),
  });
  const { errors } = formState;
  // A type typed but not yet added as a chip; saving adds it.
  const [pendingType, setPendingType] = useState("");
  // The conditions as last sent to save: the save's condition errors hold while they stand.
  const [submittedConditions, setSubmittedConditions] = useState<string | undefined>(undefined);

  const identity = transformers.data?.find((t) => IDENTITY_TRANSFORMERS.includes(t.name))?.name;
  const chosenTransformer = useWatch({ control, name: "transformer" }) ?? identity ?? "";
  const description = transformers.data?.find((t) => t.name === chosenTransformer)?.description;
  const parsedOptions = parseOptionalObject(useWatch({ control, name: "transformer_options" }));
  const shaping = useWatch({ control, name: "shaping" });

  const submit = handleSubmit((values) => {
    const allTypes = mergeEventTypes(values.event_types, pendingType);
    setValue("event_types", allTypes);
    setPendingType("");
    const input = toInput(values, route, chosenTransformer, allTypes);
    setSubmittedConditions(JSON.stringify(input.conditions));
    const onError = (error: unknown) => setServerErrors(setError, error, FIELD_ERRORS_ON_FIELDS);
    if (route) {
      update.mutate({ id: route.id, input }, { onSuccess: onSaved, onError });
    } else {
      create.mutate(input, { onSuccess: onSaved, onError });
    }
  });

  // The draft, checked by the server once typing pauses (the conditions only once the
  // browser's own checks pass, so that a row never shows the same problem twice).
  const watched = useWatch({ control }) as Values;
  const draft = toInput(watched, route, chosenTransformer, mergeEventTypes(watched.event_types, pendingType));
  const draftJson = useDebouncedValue(JSON.stringify(draft), LIVE_DELAY_MS);
  const live = useRouteValidation(draftJson, route?.id, formState.isDirty && allValid(watched.conditions) && parsedOptions.ok);
  const liveFields = live.data?.field_errors;
  const liveError = (field: LiveField) =>
    formState.dirtyFields[field] ? liveFields?.[field]?.[0] : undefined;
  const conditionsNow = JSON.stringify(draft.conditions);

  const savedConditionErrors =
    isApiError(mutation.error) && submittedConditions === conditionsNow ? conditionMessages(mutation.error.fields) : [];
  // The live check speaks for the conditions as they are now (or were a moment ago, while
  // the next check runs), once it has answered.
  const liveConditionErrors = liveFields ? conditionMessages(liveFields) : undefined;
  const serverConditionErrors = (allValid(watched.conditions) ? liveConditionErrors : undefined) ?? savedConditionErrors;
  // Fields named by a condition's place belong to the builder, not above the form.
  const placedFields = isApiError(mutation.error)
    ? Object.keys(mutation.error.fields).filter((field) => field.startsWith("conditions["))
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
        <FormErrors messages={generalErrors(mutation.error, [...FIELDS, ...placedFields])} />
        {errors.conditions?.message && <FormErrors messages={[errors.conditions.message]} />}
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField label="Name" required error={errors.name?.message ?? liveError("name")} {...register("name")} />
          <Controller
            name="source"
            control={control}
            render={({ field }) => (
              <SelectField
                label="Source"
                required
                error={errors.source?.message}
                {...field}
                disabled={sources.isPending}
              >
                <option value="">{sources.isPending ? "Loading…" : "Choose a source"}</option>
                {sources.data?.results.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.name} ({item.slug})
                  </option>
                ))}
              </SelectField>
            )}
          />
          <Controller
            name="destination"
            control={control}
            render={({ field }) => (
              <SelectField
                label="Destination"
                required
                error={errors.destination?.message}
                {...field}
                disabled={destinations.isPending}
              >
                <option value="">{destinations.isPending ? "Loading…" : "Choose a destination"}</option>
                {destinations.data?.results.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.name}
                  </option>
                ))}
              </SelectField>
            )}
          />
        </div>
        <Controller
          name="event_types"
          control={control}
          render={({ field }) => (
            <EventTypesInput
              value={field.value}
              onChange={field.onChange}
              pending={pendingType}
              onPendingChange={setPendingType}
              error={errors.event_types?.message ?? liveError("event_types")}
            />
          )}
        />
        <Controller
          name="conditions"
          control={control}
          render={({ field }) => (
            <ConditionBuilder
              rows={field.value}
              operators={operators.data ?? FALLBACK_OPERATORS}
              onChange={field.onChange}
              serverErrors={serverConditionErrors}
            />
          )}
        />
        <fieldset className="space-y-3">
          <legend className="text-sm font-medium text-gray-800">Shape the payload with</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" value="builtin" {...register("shaping")} />
              Built-in transformer
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" value="javascript" {...register("shaping")} />
              JavaScript transformation
            </label>
          </div>
          {shaping === "javascript" ? (
            <Controller
              name="transformation"
              control={control}
              render={({ field }) => (
                <SelectField
                  label="Transformation"
                  error={errors.transformation?.message}
                  {...field}
                  disabled={transformations.isPending}
                  hint={
                    transformations.isError ? (
                      `Could not load transformations: ${errorMessage(transformations.error)}`
                    ) : (
                      <>
                        Write and try them on the <Link to={paths.transformations} className="text-indigo-700 hover:underline">Transformations</Link> page.
                      </>
                    )
                  }
                >
                  <option value="">{transformations.isPending ? "Loading…" : "Choose a transformation"}</option>
                  {transformations.data?.results.map((item) => (
                    <option key={item.id} value={item.id}>
                      {item.name} (v{item.version})
                    </option>
                  ))}
                </SelectField>
              )}
            />
          ) : (
            <div className="grid gap-4 sm:grid-cols-2">
              <Controller
                name="transformer"
                control={control}
                render={({ field }) => (
                  <SelectField
                    label="Transformer"
                    error={errors.transformer?.message}
                    {...field}
                    value={chosenTransformer}
                    hint={
                      transformers.isError
                        ? `Could not load transformers: ${errorMessage(transformers.error)}`
                        : (description ?? "The payload is sent as received.")
                    }
                  >
                    {!identity && <option value="">None (send the payload as received)</option>}
                    {transformers.data?.map((item) => (
                      <option key={item.name} value={item.name}>
                        {item.name}
                      </option>
                    ))}
                  </SelectField>
                )}
              />
              <TextAreaField
                label="Transformer options (JSON, optional)"
                rows={3}
                placeholder='{"channel": "#dev"}'
                error={parsedOptions.ok ? (errors.transformer_options?.message ?? liveError("transformer_options")) : parsedOptions.error}
                {...register("transformer_options")}
              />
            </div>
          )}
        </fieldset>
        <div className="grid items-start gap-4 sm:grid-cols-3">
          <TextField
            label="Priority"
            type="number"
            hint="Orders the routes that match the same event."
            error={errors.priority?.message ?? liveError("priority")}
            {...register("priority")}
          />
          <TextField
            label="Rate limit (per minute)"
            type="number"
            min={0}
            hint="0 means no limit."
            error={errors.rate_limit_per_minute?.message ?? liveError("rate_limit_per_minute")}
            {...register("rate_limit_per_minute")}
          />
          <CheckboxField className="sm:pt-8" label="Active" {...register("is_active")} />
        </div>
        <div className="grid items-start gap-4 sm:grid-cols-3">
          <TextField
            className="sm:col-span-2"
            label="Ordering key"
            placeholder="$.repository.full_name or headers.x-shopify-shop-domain"
            hint="Events with the same value are delivered one after another, in the order received. Empty: unordered."
            error={errors.ordering_key?.message ?? liveError("ordering_key")}
            {...register("ordering_key")}
          />
          <CheckboxField
            className="sm:pt-8"
            label="A dead letter blocks its key"
            hint="Until it is replayed. Off: the next event of the key goes."
            {...register("ordering_dead_letter_blocks")}
          />
        </div>
      </form>
    </Dialog>
  );
}

/** The server's condition errors: under `conditions`, or under a field named by place (`conditions[1].any[0]`). */
function conditionMessages(fields: Record<string, string[]>): string[] {
  return Object.entries(fields).flatMap(([field, messages]) => {
    if (field === "conditions") return messages;
    if (field.startsWith("conditions[")) return messages.map((message) => (message.includes(field) ? message : `${field}: ${message}`));
    return [];
  });
}
