// Every client-side route in one place, so links and the router agree.
export const paths = {
  login: "/login",
  overview: "/",
  sources: "/sources",
  destinations: "/destinations",
  routes: "/routes",
  deliveries: "/deliveries",
  delivery: (id: number | string) => `/deliveries/${id}`,
  transformations: "/transformations",
  newTransformation: "/transformations/new",
  transformation: (id: number | string) => `/transformations/${id}`,
  auditLog: "/audit-log",
  issues: "/issues",
  issue: (id: number | string) => `/issues/${id}`,
  notifications: "/notifications",
  notificationChannels: "/notifications/channels",
  tokens: "/tokens",
} as const;
