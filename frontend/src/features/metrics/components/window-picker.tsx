import { cn } from "@/lib/cn";

import { TIME_WINDOWS, type TimeWindow } from "../api/metrics";

/** A segmented control: a radio group, so arrow keys move between windows. */
export function WindowPicker({ value, onChange }: { value: TimeWindow; onChange: (window: TimeWindow) => void }) {
  return (
    <fieldset className="inline-flex rounded-md border border-gray-300 bg-white p-0.5 shadow-sm">
      <legend className="sr-only">Time window</legend>
      {(Object.keys(TIME_WINDOWS) as TimeWindow[]).map((key) => (
        <label
          key={key}
          className={cn(
            "cursor-pointer rounded px-2.5 py-1 text-xs font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-500",
            value === key ? "bg-indigo-600 text-white" : "text-gray-700 hover:bg-gray-100",
          )}
        >
          <input
            type="radio"
            name="time-window"
            value={key}
            checked={value === key}
            onChange={() => onChange(key)}
            className="sr-only"
          />
          {TIME_WINDOWS[key].label}
        </label>
      ))}
    </fieldset>
  );
}
