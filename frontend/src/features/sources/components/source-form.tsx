// Create or edit a source. The secret can be typed only at creation (rotation changes it
// later); when left blank the server generates one and the caller shows it once. The
// verification scheme has no default: the user chooses it, and `none` is shown as the
// risk it is.

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, FormErrors, SelectField, TextField } from "@/components/ui/field";
import { useSchemes } from "@/features/schemes/api/schemes";
import { isApiError } from "@/lib/api-client";
import { errorMessage, humanize, nonFieldErrors } from "@/lib/format";
import type { Json, JsonObject, Source, SourceInput } from "@/types/api";

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

interface FormState {
  name: string;
  slug: string;
  /** While false (a new source), the slug follows the name. */
  slugEdited: boolean;
  verification_scheme: string;
  options: Record<string, string>;
  secret: string;
  event_type_header: string;
  event_type_path: string;
  idempotency_header: string;
  rate_limit_per_minute: string;
  is_active: boolean;
  dedupe_by_body: boolean;
}

function initialState(source?: Source): FormState {
  return {
    name: source?.name ?? "",
    slug: source?.slug ?? "",
    slugEdited: source !== undefined,
    verification_scheme: source?.verification_scheme ?? "",
    options: Object.fromEntries(
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

function toInput(state: FormState, allowedOptions: readonly string[], creating: boolean): SourceInput {
  const options: JsonObject = {};
  for (const key of allowedOptions) {
    const raw = state.options[key];
    if (raw !== undefined && raw.trim() !== "") options[key] = optionValue(raw);
  }
  const slug = state.slugEdited ? state.slug.trim() : slugify(state.name);
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

interface SourceFormProps {
  source?: Source;
  onClose: () => void;
  /** `generatedSecret` is set when the server made up the secret and shows it this once. */
  onSaved: (source: Source, generatedSecret?: string) => void;
}

export function SourceForm({ source, onClose, onSaved }: SourceFormProps) {
  const creating = source === undefined;
  const schemes = useSchemes();
  const create = useCreateSource();
  const update = useUpdateSource();
  const mutation = creating ? create : update;
  const [state, setState] = useState<FormState>(() => initialState(source));
  // Checked in the browser too, so an unchosen scheme is named before any request.
  const [schemeMissing, setSchemeMissing] = useState(false);

  const scheme = schemes.data?.find((item) => item.name === state.verification_scheme);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setState((s) => ({ ...s, [key]: value }));
  const fieldError = (name: string) => (isApiError(mutation.error) ? mutation.error.fieldError(name) : undefined);

  const chooseScheme = (name: string) => {
    setSchemeMissing(false);
    setState((s) => {
      const next = { ...s, verification_scheme: name };
      if (creating) {
        for (const [key, value] of Object.entries(PRESETS[name] ?? {})) {
          const field = key as keyof typeof PRESETS[string];
          if (next[field] === "") next[field] = value;
        }
      }
      return next;
    });
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (state.verification_scheme === "") {
      setSchemeMissing(true);
      return;
    }
    const input = toInput(state, scheme?.options ?? [], creating);
    if (source) {
      update.mutate({ id: source.id, input }, { onSuccess: (saved) => onSaved(saved) });
    } else {
      create.mutate(input, {
        onSuccess: (saved) => {
          const typed = state.secret !== "";
          const generated = typeof saved.secret === "string" && saved.secret !== "" && !typed ? saved.secret : undefined;
          onSaved(saved, generated);
        },
      });
    }
  };

  const otherErrors = isApiError(mutation.error)
    ? nonFieldErrors(mutation.error, FIELDS)
    : mutation.error
      ? [errorMessage(mutation.error)]
      : [];
  const generalErrors =
    isApiError(mutation.error) && Object.keys(mutation.error.fields).length === 0 ? [mutation.error.message] : otherErrors;

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
        <FormErrors messages={generalErrors} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Name"
            required
            value={state.name}
            error={fieldError("name")}
            onChange={(e) => set("name", e.target.value)}
          />
          <TextField
            label="Slug"
            required
            value={state.slugEdited ? state.slug : slugify(state.name)}
            error={fieldError("slug")}
            hint="Part of the ingest URL: lowercase letters, digits and dashes."
            inputClassName="font-mono"
            onChange={(e) => setState((s) => ({ ...s, slug: e.target.value, slugEdited: true }))}
          />
        </div>
        <SelectField
          label="Verification scheme"
          required
          value={state.verification_scheme}
          error={schemeMissing ? "Choose how requests are verified." : fieldError("verification_scheme")}
          hint={schemes.isError ? `Could not load schemes: ${errorMessage(schemes.error)}` : scheme?.description}
          disabled={schemes.isPending}
          onChange={(e) => chooseScheme(e.target.value)}
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
        {state.verification_scheme === NO_VERIFICATION && (
          <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            <p className="font-medium">No verification: anyone who knows the URL can send events.</p>
            <p className="mt-0.5">
              Requests are accepted without a signature or key. Use it only for producers that cannot sign, behind
              another check.
            </p>
          </div>
        )}
        {BODY_SIGNED_SCHEMES.has(state.verification_scheme) && (
          <CheckboxField
            label="Treat a repeated body as a duplicate"
            hint="The signature covers only the body, so a body already accepted within the idempotency window is refused as a duplicate whatever its id header says."
            checked={state.dedupe_by_body}
            onChange={(e) => set("dedupe_by_body", e.target.checked)}
          />
        )}
        {!creating && source.warnings && source.warnings.length > 0 && <SourceWarnings warnings={source.warnings} />}
        {scheme && scheme.options.length > 0 && (
          <fieldset className="space-y-3 rounded-md border border-gray-200 p-3">
            <legend className="px-1 text-sm font-medium text-gray-800">{scheme.label} options</legend>
            {fieldError("verification_options") && (
              <p role="alert" className="text-xs font-medium text-red-700">
                {fieldError("verification_options")}
              </p>
            )}
            <div className="grid gap-3 sm:grid-cols-2">
              {scheme.options.map((option) => (
                <TextField
                  key={option}
                  label={humanize(option)}
                  value={state.options[option] ?? ""}
                  error={fieldError(`verification_options.${option}`)}
                  hint="Leave blank for the scheme's default."
                  onChange={(e) => set("options", { ...state.options, [option]: e.target.value })}
                />
              ))}
            </div>
          </fieldset>
        )}
        {creating && (scheme?.needs_secret ?? true) && (
          <TextField
            label="Signing secret"
            value={state.secret}
            autoComplete="off"
            spellCheck={false}
            inputClassName="font-mono"
            error={fieldError("secret")}
            hint="The secret the provider signs with. Leave blank to generate one (shown once)."
            onChange={(e) => set("secret", e.target.value)}
          />
        )}
        {!creating && source.secret_set && (
          <p className="text-sm text-gray-600">
            Secret set, ends in <span className="font-mono">…{source.secret_last4}</span>. Use “Rotate secret” to change it.
          </p>
        )}
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Event type header"
            value={state.event_type_header}
            placeholder="X-GitHub-Event"
            error={fieldError("event_type_header")}
            onChange={(e) => set("event_type_header", e.target.value)}
          />
          <TextField
            label="Event type JSONPath"
            value={state.event_type_path}
            placeholder="$.type"
            error={fieldError("event_type_path")}
            onChange={(e) => set("event_type_path", e.target.value)}
          />
          <TextField
            label="Idempotency header"
            value={state.idempotency_header}
            placeholder="X-GitHub-Delivery"
            error={fieldError("idempotency_header")}
            hint="Blank: a hash of the body."
            onChange={(e) => set("idempotency_header", e.target.value)}
          />
        </div>
        <div className="grid items-end gap-4 sm:grid-cols-2">
          <TextField
            label="Rate limit (events per minute)"
            type="number"
            min={0}
            inputMode="numeric"
            value={state.rate_limit_per_minute}
            error={fieldError("rate_limit_per_minute")}
            hint="0 means no limit."
            onChange={(e) => set("rate_limit_per_minute", e.target.value)}
          />
          <CheckboxField
            label="Active"
            hint="Inactive sources answer 404 to producers."
            checked={state.is_active}
            onChange={(e) => set("is_active", e.target.checked)}
          />
        </div>
      </form>
    </Dialog>
  );
}
