// Event types as removable chips; Enter or a comma adds what was typed.

import { useId, type KeyboardEvent } from "react";

import { controlClass } from "@/components/ui/field";

interface EventTypesInputProps {
  value: string[];
  onChange: (value: string[]) => void;
  /** The text not yet turned into a chip, so a form can include it when saved. */
  pending: string;
  onPendingChange: (text: string) => void;
  error?: string;
}

export function splitEventTypes(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

export function mergeEventTypes(current: string[], text: string): string[] {
  const merged = [...current];
  for (const type of splitEventTypes(text)) {
    if (!merged.includes(type)) merged.push(type);
  }
  return merged;
}

export function EventTypesInput({ value, onChange, pending, onPendingChange, error }: EventTypesInputProps) {
  const id = useId();

  const commit = () => {
    if (pending.trim() !== "") {
      onChange(mergeEventTypes(value, pending));
      onPendingChange("");
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      commit();
    } else if (event.key === "Backspace" && pending === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };

  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-800">
        Event types
      </label>
      <div
        className={`${controlClass} flex flex-wrap items-center gap-1.5 focus-within:border-indigo-500 focus-within:ring-2 focus-within:ring-indigo-500/40`}
        aria-invalid={error ? true : undefined}
      >
        {value.map((type) => (
          <span key={type} className="inline-flex items-center gap-1 rounded bg-indigo-50 px-1.5 py-0.5 font-mono text-xs text-indigo-800">
            {type}
            <button
              type="button"
              aria-label={`Remove event type ${type}`}
              className="rounded text-indigo-500 hover:text-indigo-900"
              onClick={() => onChange(value.filter((item) => item !== type))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          value={pending}
          placeholder={value.length ? "" : "push, pull_request"}
          aria-describedby={`${id}-hint`}
          className="min-w-24 flex-1 border-0 bg-transparent p-0 font-mono text-sm focus:ring-0 focus:outline-none"
          onBlur={commit}
          onKeyDown={onKeyDown}
          onChange={(e) => {
            const text = e.target.value;
            if (text.includes(",")) {
              onChange(mergeEventTypes(value, text));
              onPendingChange("");
            } else {
              onPendingChange(text);
            }
          }}
        />
      </div>
      {error ? (
        <p role="alert" className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-gray-500">
          Press Enter or type a comma after each. Use * to match every event type.
        </p>
      )}
    </div>
  );
}
