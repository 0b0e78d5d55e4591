// A small SVG line chart: one series over time, gaps where a value is missing, a hover
// read-out, and a text summary for screen readers.

import { useId, useMemo, useState, type PointerEvent } from "react";

import { formatAxisTime, formatDateTime } from "@/lib/format";

export interface ChartPoint {
  time: number;
  value: number | null;
}

interface LineChartProps {
  title: string;
  points: ChartPoint[];
  format: (value: number) => string;
  color?: string;
  /** Fix the top of the scale (e.g. 1 for a ratio); otherwise the data's maximum. */
  max?: number;
  spanHours: number;
}

const WIDTH = 600;
const HEIGHT = 160;
const PAD_TOP = 8;

function segments(points: ChartPoint[]): ChartPoint[][] {
  const runs: ChartPoint[][] = [];
  let current: ChartPoint[] = [];
  for (const point of points) {
    if (point.value === null) {
      if (current.length) runs.push(current);
      current = [];
    } else {
      current.push(point);
    }
  }
  if (current.length) runs.push(current);
  return runs;
}

export function LineChart({ title, points, format, color = "#4f46e5", max, spanHours }: LineChartProps) {
  const gradientId = useId();
  const [hover, setHover] = useState<number | null>(null);

  const scale = useMemo(() => {
    const values = points.flatMap((p) => (p.value === null ? [] : [p.value]));
    const top = max ?? Math.max(1, ...values);
    const first = points[0]?.time ?? 0;
    const last = points.at(-1)?.time ?? first + 1;
    const span = Math.max(1, last - first);
    return {
      top,
      first,
      last,
      x: (time: number) => ((time - first) / span) * WIDTH,
      y: (value: number) => PAD_TOP + (1 - value / top) * (HEIGHT - PAD_TOP),
    };
  }, [points, max]);

  const runs = useMemo(() => segments(points), [points]);
  const known = points.filter((p) => p.value !== null);
  const latest = known.at(-1);
  const peak = known.reduce<number | null>((best, p) => (best === null || (p.value ?? 0) > best ? p.value : best), null);
  const summary =
    latest?.value != null
      ? `${title}: latest ${format(latest.value)}, peak ${format(peak ?? 0)}, ${points.length} points`
      : `${title}: no data in this window`;

  const onMove = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const ratio = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    const time = scale.first + ratio * (scale.last - scale.first);
    let nearest = 0;
    points.forEach((p, i) => {
      if (Math.abs(p.time - time) < Math.abs((points[nearest]?.time ?? 0) - time)) nearest = i;
    });
    setHover(points.length ? nearest : null);
  };

  const hovered = hover === null ? undefined : points[hover];

  return (
    <figure className="min-w-0">
      <figcaption className="mb-2 flex items-baseline justify-between gap-2">
        <span className="text-sm font-medium text-gray-900">{title}</span>
        <span className="font-mono text-xs text-gray-500" aria-hidden="true">
          {hovered
            ? `${formatDateTime(new Date(hovered.time).toISOString())} · ${hovered.value === null ? "no data" : format(hovered.value)}`
            : latest?.value != null
              ? `now ${format(latest.value)}`
              : ""}
        </span>
      </figcaption>
      <div className="flex gap-2">
        <div className="flex w-12 shrink-0 flex-col justify-between text-right font-mono text-[10px] text-gray-400" aria-hidden="true">
          <span>{format(scale.top)}</span>
          <span>{format(0)}</span>
        </div>
        <div
          className="relative h-40 min-w-0 flex-1"
          onPointerMove={onMove}
          onPointerLeave={() => setHover(null)}
        >
          <svg
            role="img"
            aria-label={summary}
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            preserveAspectRatio="none"
            className="absolute inset-0 size-full overflow-visible"
          >
            <defs>
              <linearGradient id={gradientId} x1="0" x2="0" y1="0" y2="1">
                <stop offset="0%" stopColor={color} stopOpacity="0.18" />
                <stop offset="100%" stopColor={color} stopOpacity="0" />
              </linearGradient>
            </defs>
            {[0, 0.5, 1].map((f) => (
              <line
                key={f}
                x1="0"
                x2={WIDTH}
                y1={PAD_TOP + f * (HEIGHT - PAD_TOP)}
                y2={PAD_TOP + f * (HEIGHT - PAD_TOP)}
                stroke="#e5e7eb"
                vectorEffect="non-scaling-stroke"
              />
            ))}
            {runs.map((run) => {
              const line = run.map((p) => `${scale.x(p.time).toFixed(1)},${scale.y(p.value ?? 0).toFixed(1)}`).join(" ");
              const firstX = scale.x(run[0]?.time ?? 0).toFixed(1);
              const lastX = scale.x(run.at(-1)?.time ?? 0).toFixed(1);
              return (
                <g key={run[0]?.time}>
                  <polygon points={`${firstX},${HEIGHT} ${line} ${lastX},${HEIGHT}`} fill={`url(#${gradientId})`} />
                  <polyline
                    points={line}
                    fill="none"
                    stroke={color}
                    strokeWidth="2"
                    strokeLinejoin="round"
                    vectorEffect="non-scaling-stroke"
                  />
                </g>
              );
            })}
            {hovered && (
              <line
                x1={scale.x(hovered.time)}
                x2={scale.x(hovered.time)}
                y1="0"
                y2={HEIGHT}
                stroke="#9ca3af"
                strokeDasharray="3 3"
                vectorEffect="non-scaling-stroke"
              />
            )}
          </svg>
          {known.length === 0 && (
            <p className="absolute inset-0 flex items-center justify-center text-xs text-gray-400">No data in this window</p>
          )}
        </div>
      </div>
      {points.length > 1 && (
        <div className="mt-1 ml-14 flex justify-between font-mono text-[10px] text-gray-400" aria-hidden="true">
          <span>{formatAxisTime(new Date(scale.first), spanHours)}</span>
          <span>{formatAxisTime(new Date(scale.last), spanHours)}</span>
        </div>
      )}
    </figure>
  );
}
