import { SegmentedControl } from "@/components/ui/segmented-control";

import { TIME_WINDOWS, type TimeWindow } from "../api/metrics";

const OPTIONS = (Object.keys(TIME_WINDOWS) as TimeWindow[]).map((key) => [key, TIME_WINDOWS[key].label] as const);

export function WindowPicker({ value, onChange }: { value: TimeWindow; onChange: (window: TimeWindow) => void }) {
  return <SegmentedControl legend="Time window" name="time-window" options={OPTIONS} value={value} onChange={onChange} />;
}
