import { lazy, Suspense } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";

import { LoadingState } from "@/components/ui/states";
import { paths } from "@/config/paths";

import { AppRoot } from "./routes/app-root";
import { AuditLogRoute } from "./routes/audit-log";
import { DeliveriesRoute } from "./routes/deliveries";
import { DeliveryRoute } from "./routes/delivery";
import { DestinationRoute } from "./routes/destination";
import { DestinationsRoute } from "./routes/destinations";
import { IssueRoute } from "./routes/issue";
import { IssuesRoute } from "./routes/issues";
import { LoginRoute } from "./routes/login";
import { NotFoundRoute } from "./routes/not-found";
import { NotificationChannelsRoute } from "./routes/notification-channels";
import { NotificationsRoute } from "./routes/notifications";
import { OverviewRoute } from "./routes/overview";
import { RoutesRoute } from "./routes/routes";
import { SourcesRoute } from "./routes/sources";
import { TokensRoute } from "./routes/tokens";
import { TransformationsRoute } from "./routes/transformations";

// The editor brings CodeMirror: its own chunk, fetched when the page is first opened.
const TransformationRoute = lazy(() => import("./routes/transformation"));
const transformationEditor = (
  <Suspense fallback={<LoadingState label="Loading the editor…" />}>
    <TransformationRoute />
  </Suspense>
);

export const routes: RouteObject[] = [
  { path: paths.login, element: <LoginRoute /> },
  {
    path: "/",
    element: <AppRoot />,
    children: [
      { index: true, element: <OverviewRoute /> },
      { path: "sources", element: <SourcesRoute /> },
      { path: "destinations", element: <DestinationsRoute /> },
      { path: "destinations/:id", element: <DestinationRoute /> },
      { path: "routes", element: <RoutesRoute /> },
      { path: "transformations", element: <TransformationsRoute /> },
      { path: "transformations/new", element: transformationEditor },
      { path: "transformations/:id", element: transformationEditor },
      { path: "deliveries", element: <DeliveriesRoute /> },
      { path: "deliveries/:id", element: <DeliveryRoute /> },
      { path: "issues", element: <IssuesRoute /> },
      { path: "issues/:id", element: <IssueRoute /> },
      { path: "notifications", element: <NotificationsRoute /> },
      { path: "notifications/channels", element: <NotificationChannelsRoute /> },
      { path: "audit-log", element: <AuditLogRoute /> },
      { path: "tokens", element: <TokensRoute /> },
      { path: "*", element: <NotFoundRoute /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
