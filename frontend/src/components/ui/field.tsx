// Labelled form controls. Each one ties its label, hint and error to the control with
// ids, marks the control invalid when there is an error, and announces the error. The
// props (a `ref` too) go to the control, so react-hook-form's `register()` spreads onto it.

import { useId, type ComponentProps, type ReactNode } from "react";

import { cn } from "@/lib/cn";

export const controlClass =
  "block w-full rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm text-gray-900 shadow-sm [&:is(input,select)]:h-9 " +
  "placeholder:text-gray-400 focus:border-indigo-500 aria-[invalid=true]:border-red-500 " +
  "disabled:bg-gray-50 disabled:text-gray-500";

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
  children: ReactNode;
}

function FieldFrame({ id, label, hint, error, className, children }: FieldFrameProps) {
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-gray-800">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-gray-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  if (error) {
    return `${id}-error`;
  }
  return hint ? `${id}-hint` : undefined;
}

interface CommonProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
  inputClassName?: string;
}

export function TextField({
  label,
  hint,
  error,
  className,
  inputClassName,
  id: givenId,
  ...props
}: CommonProps & ComponentProps<"input">) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={cn(controlClass, props.type === "url" ? "font-mono" : "", inputClassName)}
        {...props}
      />
    </FieldFrame>
  );
}

export function TextAreaField({
  label,
  hint,
  error,
  className,
  inputClassName,
  id: givenId,
  ...props
}: CommonProps & ComponentProps<"textarea">) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={cn(controlClass, "font-mono text-xs leading-relaxed", inputClassName)}
        spellCheck={false}
        {...props}
      />
    </FieldFrame>
  );
}

export function SelectField({
  label,
  hint,
  error,
  className,
  inputClassName,
  id: givenId,
  children,
  ...props
}: CommonProps & ComponentProps<"select">) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={cn(controlClass, inputClassName)}
        {...props}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField({
  label,
  hint,
  className,
  inputClassName: _inputClassName,
  id: givenId,
  ...props
}: Omit<CommonProps, "error"> & Omit<ComponentProps<"input">, "type">) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <div className={cn("flex items-start gap-2", className)}>
      <input
        id={id}
        type="checkbox"
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="mt-0.5 size-4 rounded border-gray-300 text-indigo-600 accent-indigo-600"
        {...props}
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-gray-800">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="text-xs text-gray-500">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

/** Errors from the server that belong to no single field. */
export function FormErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) {
    return null;
  }
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {messages.length === 1 ? (
        messages[0]
      ) : (
        <ul className="list-disc pl-4">
          {messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
