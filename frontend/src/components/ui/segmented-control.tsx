// One choice of a few, shown side by side (a time window, say): a radio group under the
// hood, so arrow keys move between the options and a screen reader names the group.

import { cn } from "@/lib/cn";

interface SegmentedControlProps<K extends string> {
  /** Names the group for screen readers. */
  legend: string;
  /** The radio inputs' name: unique on the page. */
  name: string;
  options: readonly (readonly [K, string])[];
  value: K;
  onChange: (value: K) => void;
}

export function SegmentedControl<K extends string>({ legend, name, options, value, onChange }: SegmentedControlProps<K>) {
  return (
    <fieldset className="inline-flex rounded-md border border-gray-300 bg-white p-0.5 shadow-sm">
      <legend className="sr-only">{legend}</legend>
      {options.map(([key, label]) => (
        <label
          key={key}
          className={cn(
            "cursor-pointer rounded px-2.5 py-1 text-xs font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-500",
            value === key ? "bg-indigo-600 text-white" : "text-gray-700 hover:bg-gray-100",
          )}
        >
          <input type="radio" name={name} value={key} checked={value === key} onChange={() => onChange(key)} className="sr-only" />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
