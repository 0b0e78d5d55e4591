// Create or edit a notification channel. What the form asks depends on the kind: e-mail
// addresses, a Slack incoming-webhook URL, or a webhook URL (signed with the channel's own
// secret, which the create answer carries once). The types to hear of come from
// /api/notification-types/; none ticked means all. Sources and destinations limit the
// subjects; both empty means all.

import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, useWatch } from "react-hook-form";
import { z } from "zod/mini";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, FormErrors, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { generalErrors, setServerErrors, useServerForm } from "@/lib/form";
import { type Lookup } from "@/lib/react-query";
import type { ChannelKind, NotificationChannel, NotificationChannelInput, Paginated } from "@/types/api";

import { useCreateChannel, useUpdateChannel } from "../api/channels";
import { useNotificationTypes } from "../api/notifications";

const FIELDS = ["name", "kind", "url", "emails", "types", "sources", "destinations", "is_active"] as const;

export const KIND_LABELS: Record<ChannelKind, string> = { email: "E-mail", slack: "Slack", webhook: "Webhook" };

const schema = z.object({
  name: z.string().check(z.trim(), z.minLength(1, "Give the channel a name.")),
  kind: z.enum(["email", "slack", "webhook"]),
  url: z.string(),
  emails: z.string(),
  types: z.array(z.string()),
  sources: z.array(z.string()),
  destinations: z.array(z.string()),
  is_active: z.boolean(),
});
type Values = z.infer<typeof schema>;

/** Addresses as typed: one a line, or separated by commas or spaces. */
export function parseEmails(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

function toInput(values: Values, channel: NotificationChannel | undefined): NotificationChannelInput {
  const input: NotificationChannelInput = {
    name: values.name.trim(),
    kind: values.kind,
    types: values.types,
    sources: values.sources.map(Number),
    destinations: values.destinations.map(Number),
    is_active: values.is_active,
  };
  if (values.kind === "email") {
    input.emails = parseEmails(values.emails);
  } else {
    const url = values.url.trim();
    // An unchanged URL is left out: a masked one sent back would be kept anyway, and
    // leaving it out says so plainly.
    if (!channel || url !== channel.url || values.kind !== channel.kind) input.url = url;
  }
  return input;
}

interface Named {
  id: number;
  name: string;
}

function MultiSelect({
  label,
  hint,
  lookup,
  value,
  onChange,
  error,
}: {
  label: string;
  hint: string;
  lookup: Lookup<Paginated<Named>>;
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
}) {
  return (
    <SelectField
      label={label}
      hint={lookup.isError ? "Could not load the list." : hint}
      error={error}
      multiple
      size={4}
      inputClassName="h-auto"
      value={value}
      onChange={(event) => onChange(Array.from(event.target.selectedOptions, (option) => option.value))}
    >
      {lookup.data?.results.map((item) => (
        <option key={item.id} value={String(item.id)}>
          {item.name}
        </option>
      ))}
    </SelectField>
  );
}

export interface ChannelFormProps {
  channel?: NotificationChannel;
  sources: Lookup<Paginated<Named>>;
  destinations: Lookup<Paginated<Named>>;
  onClose: () => void;
  onSaved: (channel: NotificationChannel) => void;
}

export function ChannelForm({ channel, sources, destinations, onClose, onSaved }: ChannelFormProps) {
  const creating = channel === undefined;
  const create = useCreateChannel();
  const update = useUpdateChannel();
  const mutation = creating ? create : update;
  const types = useNotificationTypes();
  const { register, control, handleSubmit, setError, formState } = useServerForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: channel?.name ?? "",
      kind: channel?.kind ?? "webhook",
      url: channel?.url ?? "",
      emails: (channel?.emails ?? []).join("\n"),
      types: channel?.types ?? [],
      sources: (channel?.sources ?? []).map(String),
      destinations: (channel?.destinations ?? []).map(String),
      is_active: channel?.is_active ?? true,
    },
  });
  const { errors } = formState;
  const kind = useWatch({ control, name: "kind" });

  const submit = handleSubmit((values) => {
    const input = toInput(values, channel);
    const callbacks = { onSuccess: onSaved, onError: (error: unknown) => setServerErrors(setError, error, FIELDS) };
    if (channel) {
      update.mutate({ id: channel.id, input }, callbacks);
    } else {
      create.mutate(input, callbacks);
    }
  });

  const urlHint =
    kind === "slack"
      ? channel?.url_masked && channel.kind === "slack"
        ? "Shown masked: it carries a credential. Leave it as it is to keep it, or paste a new one."
        : "A Slack incoming-webhook URL (https://hooks.slack.com/services/…). Stored encrypted; shown masked."
      : "Receives each notification as signed JSON (Standard Webhooks headers, the channel's own whsec_ secret).";

  return (
    <Dialog
      title={creating ? "New notification channel" : `Edit ${channel.name}`}
      description="Where RelayCore tells you that a destination fails, is disabled or recovers, of dead letters and signature failures."
      onClose={onClose}
      size="lg"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="channel-form" variant="primary" loading={mutation.isPending}>
            {creating ? "Create channel" : "Save changes"}
          </Button>
        </>
      }
    >
      <form id="channel-form" onSubmit={submit} className="space-y-4" noValidate>
        <FormErrors messages={generalErrors(mutation.error, FIELDS)} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Name" required error={errors.name?.message} {...register("name")} />
          <SelectField label="Kind" error={errors.kind?.message} {...register("kind")}>
            {(Object.keys(KIND_LABELS) as ChannelKind[]).map((value) => (
              <option key={value} value={value}>
                {KIND_LABELS[value]}
              </option>
            ))}
          </SelectField>
        </div>
        {kind === "email" ? (
          <TextAreaField
            label="E-mail addresses"
            rows={3}
            placeholder={"ops@example.com\noncall@example.com"}
            hint="One a line (or separated by commas); at most 50."
            error={errors.emails?.message}
            {...register("emails")}
          />
        ) : (
          <TextField
            label={kind === "slack" ? "Slack webhook URL" : "Webhook URL"}
            type="url"
            required
            autoComplete="off"
            placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://ops.example.com/relaycore"}
            hint={urlHint}
            error={errors.url?.message}
            {...register("url")}
          />
        )}
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-gray-800">Notification types</legend>
          <p className="text-xs text-gray-500">None ticked: every type.</p>
          {types.isPending && <p className="text-xs text-gray-500">Loading types…</p>}
          {types.isError && <p className="text-xs text-red-700">Could not load the notification types.</p>}
          <Controller
            name="types"
            control={control}
            render={({ field }) => (
              <div className="grid gap-2 sm:grid-cols-2">
                {types.data?.map((type) => (
                  <CheckboxField
                    key={type.name}
                    label={type.name}
                    hint={type.description}
                    checked={field.value.includes(type.name)}
                    onChange={(event) =>
                      field.onChange(
                        event.target.checked
                          ? [...field.value, type.name]
                          : field.value.filter((name) => name !== type.name),
                      )
                    }
                  />
                ))}
              </div>
            )}
          />
          {errors.types?.message && (
            <p role="alert" className="text-xs font-medium text-red-700">
              {errors.types.message}
            </p>
          )}
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <Controller
            name="sources"
            control={control}
            render={({ field }) => (
              <MultiSelect
                label="Only these sources"
                hint="None selected: every source (Ctrl or ⌘ to pick several)."
                lookup={sources}
                value={field.value}
                onChange={field.onChange}
                error={errors.sources?.message}
              />
            )}
          />
          <Controller
            name="destinations"
            control={control}
            render={({ field }) => (
              <MultiSelect
                label="Only these destinations"
                hint="None selected: every destination."
                lookup={destinations}
                value={field.value}
                onChange={field.onChange}
                error={errors.destinations?.message}
              />
            )}
          />
        </div>
        <CheckboxField label="Active" hint="An inactive channel is sent nothing." {...register("is_active")} />
      </form>
    </Dialog>
  );
}
