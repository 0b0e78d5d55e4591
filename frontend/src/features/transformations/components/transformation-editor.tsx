// Create or edit a transformation: its name, description and code in a JavaScript editor,
// with the Run panel beside it trying the code as it stands (saved or not).

import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, useWatch } from "react-hook-form";
import { z } from "zod/mini";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormErrors, TextField } from "@/components/ui/field";
import { generalErrors, setServerErrors, useServerForm } from "@/lib/form";
import type { Transformation, TransformationInput } from "@/types/api";

import { useCreateTransformation, useUpdateTransformation } from "../api/transformations";
import { STARTER_CODE } from "../starter";
import { CodeEditor } from "./code-editor";
import { RunPanel, type RunPanelProps } from "./run-panel";

const FIELDS = ["name", "description", "code"] as const;

// The browser checks what it can know; the server compiles the code and says the rest.
const schema = z.object({
  name: z.string().check(z.trim(), z.minLength(1, "Give the transformation a name")),
  description: z.string(),
  code: z.string().check(z.refine((code) => /\btransform\b/.test(code), "The code must define function transform(event)")),
});
type Values = z.infer<typeof schema>;

export interface TransformationEditorProps {
  /** Undefined: a new one, seeded with the starter template. */
  transformation?: Transformation;
  /** False for roles that may only read: the code is shown, not editable. */
  canSave: boolean;
  /** The Run panel's lookups, or undefined when the role may not run code. */
  run?: Omit<RunPanelProps, "code">;
  onSaved: (saved: Transformation, created: boolean) => void;
}

export function TransformationEditor({ transformation, canSave, run, onSaved }: TransformationEditorProps) {
  const creating = transformation === undefined;
  const create = useCreateTransformation();
  const update = useUpdateTransformation();
  const mutation = creating ? create : update;
  const { register, control, handleSubmit, setError, reset, formState } = useServerForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: transformation?.name ?? "",
      description: transformation?.description ?? "",
      code: transformation?.code ?? STARTER_CODE,
    },
  });
  const { errors, isDirty } = formState;
  const code = useWatch({ control, name: "code" });

  const submit = handleSubmit((values) => {
    const input: TransformationInput = { name: values.name, description: values.description, code: values.code };
    const onError = (error: unknown) => setServerErrors(setError, error, FIELDS);
    const onSuccess = (saved: Transformation) => {
      // What was saved is the new starting point: "unsaved changes" goes away.
      reset({ name: saved.name, description: saved.description, code: saved.code });
      onSaved(saved, creating);
    };
    if (transformation) {
      update.mutate({ id: transformation.id, input }, { onSuccess, onError });
    } else {
      create.mutate(input, { onSuccess, onError });
    }
  });

  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1.2fr)_minmax(0,1fr)]">
      <form aria-label="Transformation" onSubmit={submit} className="space-y-4" noValidate>
        <FormErrors messages={generalErrors(mutation.error, FIELDS)} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Name" required readOnly={!canSave} error={errors.name?.message} {...register("name")} />
          <TextField label="Description" readOnly={!canSave} error={errors.description?.message} {...register("description")} />
        </div>
        <div className="space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <span id="transformation-code-label" className="text-sm font-medium text-gray-800">
              Code (JavaScript)
            </span>
            {transformation && <Badge tone="accent">v{transformation.version}</Badge>}
            {isDirty && canSave && <Badge tone="warning">Unsaved changes</Badge>}
          </div>
          <Controller
            name="code"
            control={control}
            render={({ field }) => (
              <CodeEditor
                label="Code"
                value={field.value}
                onChange={field.onChange}
                readOnly={!canSave}
                invalid={errors.code !== undefined}
                describedBy={errors.code ? "transformation-code-error" : undefined}
              />
            )}
          />
          {errors.code?.message ? (
            <p id="transformation-code-error" role="alert" className="text-xs font-medium whitespace-pre-wrap text-red-700">
              {errors.code.message}
            </p>
          ) : (
            <p className="text-xs text-gray-500">
              Runs in a sandbox with no network, files, timers or modules, under a time and memory limit.{" "}
              <code className="font-mono">console.log</code> lines show in the Run panel.
            </p>
          )}
        </div>
        {canSave && (
          <Button type="submit" variant="primary" loading={mutation.isPending}>
            {creating ? "Create transformation" : "Save changes"}
          </Button>
        )}
      </form>
      {run && (
        <section aria-labelledby="run-heading" className="space-y-3">
          <h2 id="run-heading" className="text-base font-semibold text-gray-900">
            Run
          </h2>
          <p className="text-xs text-gray-500">Tries the code in the editor, saved or not. Nothing is delivered.</p>
          <RunPanel code={code} {...run} />
        </section>
      )}
    </div>
  );
}
