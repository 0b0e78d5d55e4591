// Outline icons for the navigation, drawn on a 20x20 grid.

const stroke = { fill: "none", stroke: "currentColor", strokeWidth: 1.6, strokeLinecap: "round", strokeLinejoin: "round" } as const;

export const icons = {
  overview: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <path d="M3 17V9M8 17V4M13 17v-6M18 17H2" />
    </svg>
  ),
  sources: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <path d="M10 3v9M6 8l4 4 4-4M3 15h14" />
    </svg>
  ),
  destinations: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <path d="M10 17V8M6 12l4-4 4 4M3 4h14" />
    </svg>
  ),
  routes: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <circle cx="4.5" cy="5" r="2" />
      <circle cx="15.5" cy="15" r="2" />
      <path d="M6.5 5H11a3 3 0 0 1 0 6H9a3 3 0 0 0 0 6h4.5" />
    </svg>
  ),
  deliveries: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <path d="M3 6h14M3 10h14M3 14h9" />
    </svg>
  ),
  transformations: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <path d="M7 5L3 10l4 5M13 5l4 5-4 5M11 4l-2 12" />
    </svg>
  ),
  audit: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <circle cx="10" cy="10" r="7" />
      <path d="M10 6v4l3 2" />
    </svg>
  ),
  tokens: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <circle cx="7" cy="10" r="3.5" />
      <path d="M10.5 10H18M15 10v3M17.5 10v2" />
    </svg>
  ),
  notifications: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <path d="M6 8a4 4 0 0 1 8 0c0 4 1.5 5.5 2 6H4c.5-.5 2-2 2-6M8.5 16.5a1.6 1.6 0 0 0 3 0" />
    </svg>
  ),
  issues: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <path d="M10 3 2.5 16h15L10 3M10 8v3.5M10 13.8v.2" />
    </svg>
  ),
  channels: (
    <svg viewBox="0 0 20 20" {...stroke}>
      <path d="M3 8v4h3l5 4V4L6 8H3M14 7.5a3.5 3.5 0 0 1 0 5" />
    </svg>
  ),
};
