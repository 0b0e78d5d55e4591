// Create or edit a source. The secret can be typed only at creation (rotation changes it
// later); when left blank the server generates one and the caller shows it once. The
// verification scheme has no default: the user chooses it, and `none` is shown as the
// risk it is.

import { zodResolver } from "@hookform/resolvers/zod";
import { useState, type ChangeEvent } from "react";
import { Controller, useWatch } from "react-hook-form";
import { z } from "zod/mini";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, FormErrors, SelectField, TextField } from "@/components/ui/field";
import { generalErrors, setServerErrors, useServerForm } from "@/lib/form";
import { errorMessage, humanize } from "@/lib/format";
import { type Lookup } from "@/lib/react-query";
import { secretHint } from "@/lib/secret-hint";
import type { Json, JsonObject, Scheme, Source, SourceInput } from "@/types/api";

import { useCreateSource, useUpdateSource } from "../api/sources";
import { SourceWarnings } from "./source-warnings";

const FIELDS = [
  "name",
  "slug",
  "verification_scheme",
  "verification_options",
  "secret",
  "event_type_header",
  "event_type_path",
  "idempotency_header",
  "rate_limit_per_minute",
  "is_active",
] as const;

/** Where well-known providers put the event type and delivery id. */
const PRESETS: Record<string, Partial<Record<"event_type_header" | "event_type_path" | "idempotency_header", string>>> = {
  github: { event_type_header: "X-GitHub-Event", idempotency_header: "X-GitHub-Delivery" },
  shopify: { event_type_header: "X-Shopify-Topic", idempotency_header: "X-Shopify-Webhook-Id" },
  stripe: { event_type_path: "$.type" },
  standard_webhooks: { idempotency_header: "webhook-id", event_type_path: "$.type" },
  svix: { idempotency_header: "svix-id", event_type_path: "$.type" },
  slack: { event_type_path: "$.event.type" },
};

/** Schemes whose signature covers only the body: a captured request could be replayed
 * with a new (unsigned) id header, so a body already accepted can count as a duplicate. */
export const BODY_SIGNED_SCHEMES = new Set(["github", "shopify", "hmac_sha256", "hmac"]);

export const NO_VERIFICATION = "none";

/** "My GitHub App" -> "my-github-app", the way a slug field expects it. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100);
}

// Only the scheme is checked in the browser, so an unchosen one is named before any
// request; the server validates the rest.
const schema = z.object({
  name: z.string(),
  slug: z.string(),
  verification_scheme: z.string().check(z.minLength(1, "Choose how requests are verified.")),
  /** Typed as text, one entry per option of the chosen scheme (the server's field name). */
  verification_options: z.record(z.string(), z.string()),
  secret: z.string(),
  event_type_header: z.string(),
  event_type_path: z.string(),
  idempotency_header: z.string(),
  rate_limit_per_minute: z.string(),
  is_active: z.boolean(),
  dedupe_by_body: z.boolean(),
});
type Values = z.infer<typeof schema>;

function initialValues(source?: Source): Values {
  return {
    name: source?.name ?? "",
    slug: source?.slug ?? "",
    verification_scheme: source?.verification_scheme ?? "",
    verification_options: Object.fromEntries(
      Object.entries(source?.verification_options ?? {}).map(([key, value]) => [
        key,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    ),
    secret: "",
    event_type_header: source?.event_type_header ?? "",
    event_type_path: source?.event_type_path ?? "",
    idempotency_header: source?.idempotency_header ?? "",
    rate_limit_per_minute: String(source?.rate_limit_per_minute ?? 0),
    is_active: source?.is_active ?? true,
    dedupe_by_body: source?.dedupe_by_body ?? true,
  };
}

/** Option values are typed as text; numbers and booleans are sent as such. */
function optionValue(raw: string): Json {
  const text = raw.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return text;
}

function toInput(state: Values, allowedOptions: readonly string[], creating: boolean): SourceInput {
  const options: JsonObject = {};
  for (const key of allowedOptions) {
    const raw = state.verification_options[key];
    if (raw !== undefined && raw.trim() !== "") options[key] = optionValue(raw);
  }
  const slug = state.slug.trim();
  return {
    name: state.name.trim(),
    slug,
    verification_scheme: state.verification_scheme,
    ...(BODY_SIGNED_SCHEMES.has(state.verification_scheme) ? { dedupe_by_body: state.dedupe_by_body } : {}),
    verification_options: options,
    ...(creating && state.secret !== "" ? { secret: state.secret } : {}),
    event_type_header: state.event_type_header.trim(),
    event_type_path: state.event_type_path.trim(),
    idempotency_header: state.idempotency_header.trim(),
    rate_limit_per_minute: Number(state.rate_limit_per_minute) || 0,
    is_active: state.is_active,
  };
}

export interface SourceFormProps {
  source?: Source;
  /** The schemes to choose from (the schemes feature's list, read by the page). */
  schemes: Lookup<Scheme[]>;
  onClose: () => void;
  /** `generatedSecret` is set when the server made up the secret and shows it this once. */
  onSaved: (source: Source, generatedSecret?: string) => void;
}

export function SourceForm({ source, schemes, onClose, onSaved }: SourceFormProps) {
  const creating = source === undefined;
  const create = useCreateSource();
  const update = useUpdateSource();
  const mutation = creating ? create : update;
  const { register, control, handleSubmit, setError, setValue, getValues, formState } = useServerForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: initialValues(source),
  });
  const { errors } = formState;
  // While false (a new source), the slug follows the name.
  const [slugEdited, setSlugEdited] = useState(source !== undefined);

  const schemeName = useWatch({ control, name: "verification_scheme" });
  const scheme = schemes.data?.find((item) => item.name === schemeName);
  // The server may fault the options as a whole (`verification_options`) or one of them.
  const optionErrors = errors.verification_options as
    | ({ message?: string } & Record<string, { message?: string } | undefined>)
    | undefined;

  const applyPresets = (name: string) => {
    if (!creating) return;
    for (const [key, value] of Object.entries(PRESETS[name] ?? {})) {
      const field = key as keyof (typeof PRESETS)[string];
      if (getValues(field) === "") setValue(field, value);
    }
  };

  const submit = handleSubmit((values) => {
    const input = toInput(values, scheme?.options ?? [], creating);
    const fields = [...FIELDS, ...(scheme?.options ?? []).map((option) => `verification_options.${option}` as const)];
    const onError = (error: unknown) => setServerErrors(setError, error, fields);
    if (source) {
      update.mutate({ id: source.id, input }, { onSuccess: (saved) => onSaved(saved), onError });
    } else {
      create.mutate(input, {
        onSuccess: (saved) => {
          const typed = values.secret !== "";
          const generated = typeof saved.secret === "string" && saved.secret !== "" && !typed ? saved.secret : undefined;
          onSaved(saved, generated);
        },
        onError,
      });
    }
  });

  return (
    <Dialog
      title={creating ? "New source" : `Edit ${source.name}`}
      description="A source is one URL that a provider posts its webhooks to."
      onClose={onClose}
      size="lg"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="source-form" variant="primary" loading={mutation.isPending}>
            {creating ? "Create source" : "Save changes"}
          </Button>
        </>
      }
    >
      <form id="source-form" onSubmit={submit} className="space-y-4" noValidate>
        <FormErrors messages={generalErrors(mutation.error, FIELDS)} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Name"
            required
            error={errors.name?.message}
            {...register("name", {
              onChange: (e: ChangeEvent<HTMLInputElement>) => {
                if (!slugEdited) setValue("slug", slugify(e.target.value));
              },
            })}
          />
          <TextField
            label="Slug"
            required
            error={errors.slug?.message}
            hint="Part of the ingest URL: lowercase letters, digits and dashes."
            inputClassName="font-mono"
            {...register("slug", { onChange: () => setSlugEdited(true) })}
          />
        </div>
        {/* Controlled: its options arrive after the form's first render. */}
        <Controller
          name="verification_scheme"
          control={control}
          render={({ field }) => (
            <SelectField
              label="Verification scheme"
              required
              error={errors.verification_scheme?.message}
              hint={schemes.isError ? `Could not load schemes: ${errorMessage(schemes.error)}` : scheme?.description}
              {...field}
              disabled={schemes.isPending}
              onChange={(e) => {
                field.onChange(e);
                applyPresets(e.target.value);
              }}
            >
              <option value="" disabled>
                {schemes.isPending ? "Loading schemes…" : "Choose how requests are verified"}
              </option>
              {schemes.data?.map((item) => (
                <option key={item.name} value={item.name}>
                  {item.label}
                </option>
              ))}
            </SelectField>
          )}
        />
        {schemeName === NO_VERIFICATION && (
          <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            <p className="font-medium">No verification: anyone who knows the URL can send events.</p>
            <p className="mt-0.5">
              Requests are accepted without a signature or key. Use it only for producers that cannot sign, behind
              another check.
            </p>
          </div>
        )}
        {BODY_SIGNED_SCHEMES.has(schemeName) && (
          <CheckboxField
            label="Treat a repeated body as a duplicate"
            hint="The signature covers only the body, so a body already accepted within the idempotency window is refused as a duplicate whatever its id header says."
            {...register("dedupe_by_body")}
          />
        )}
        {!creating && source.warnings && source.warnings.length > 0 && <SourceWarnings warnings={source.warnings} />}
        {scheme && scheme.options.length > 0 && (
          <fieldset className="space-y-3 rounded-md border border-gray-200 p-3">
            <legend className="px-1 text-sm font-medium text-gray-800">{scheme.label} options</legend>
            {optionErrors?.message && (
              <p role="alert" className="text-xs font-medium text-red-700">
                {optionErrors.message}
              </p>
            )}
            <div className="grid gap-3 sm:grid-cols-2">
              {scheme.options.map((option) => (
                <TextField
                  key={option}
                  label={humanize(option)}
                  error={optionErrors?.[option]?.message}
                  hint="Leave blank for the scheme's default."
                  {...register(`verification_options.${option}`)}
                />
              ))}
            </div>
          </fieldset>
        )}
        {creating && (scheme?.needs_secret ?? true) && (
          <TextField
            label="Signing secret"
            autoComplete="off"
            spellCheck={false}
            inputClassName="font-mono"
            error={errors.secret?.message}
            hint="The secret the provider signs with. Leave blank to generate one (shown once)."
            {...register("secret")}
          />
        )}
        {!creating && source.secret_set && (
          <p className="text-sm text-gray-600">
            Secret set, <span className="font-mono">{secretHint(source.secret_last4)}</span>. Use “Rotate secret” to change it.
          </p>
        )}
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Event type header"
            placeholder="X-GitHub-Event"
            error={errors.event_type_header?.message}
            {...register("event_type_header")}
          />
          <TextField
            label="Event type JSONPath"
            placeholder="$.type"
            error={errors.event_type_path?.message}
            {...register("event_type_path")}
          />
          <TextField
            label="Idempotency header"
            placeholder="X-GitHub-Delivery"
            error={errors.idempotency_header?.message}
            hint="Blank: a hash of the body."
            {...register("idempotency_header")}
          />
        </div>
        <div className="grid items-end gap-4 sm:grid-cols-2">
          <TextField
            label="Rate limit (events per minute)"
            type="number"
            min={0}
            inputMode="numeric"
            error={errors.rate_limit_per_minute?.message}
            hint="0 means no limit."
            {...register("rate_limit_per_minute")}
          />
          <CheckboxField
            label="Active"
            hint="Inactive sources answer 404 to producers."
            {...register("is_active")}
          />
        </div>
      </form>
    </Dialog>
  );
}
