// Rendering helpers: the real providers and a memory router, one fresh QueryClient per test.

import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse, type JsonBodyType } from "msw";
import { type ReactElement } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";

import { AppProvider } from "@/app/provider";
import { createQueryClient, SESSION_QUERY_KEY } from "@/lib/react-query";
import type { Paginated, User } from "@/types/api";

import { aUser } from "./fixtures";
import { server } from "./server";

interface RenderOptions {
  /** The route pattern the element is mounted at, e.g. "/deliveries/:id". */
  path?: string;
  /** The URL the test starts on. */
  url?: string;
  extraRoutes?: RouteObject[];
  /** Who is signed in (the session query is seeded, as after login); an admin unless told. */
  me?: User | null;
}

export function renderPage(
  element: ReactElement,
  { path = "/", url = path, extraRoutes = [], me = aUser("admin") }: RenderOptions = {},
) {
  const client = createQueryClient();
  client.setQueryData(SESSION_QUERY_KEY, me);
  const router = createMemoryRouter(
    [{ path, element }, ...extraRoutes, { path: "*", element: <p>Somewhere else</p> }],
    { initialEntries: [url] },
  );
  const user = userEvent.setup();
  const view = render(
    <AppProvider client={client}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...view, client, router, user };
}

export function page<T>(results: T[]): Paginated<T> {
  return { count: results.length, next: null, previous: null, results };
}

export function apiError(status: number, code: string, message: string, fields: Record<string, string[]> = {}) {
  return HttpResponse.json({ error: { code, message, fields } }, { status });
}

/** Answers GET requests of a path with a fixed body; returns the URLs that were asked for. */
export function answerGet(path: string, body: JsonBodyType): URL[] {
  const seen: URL[] = [];
  server.use(
    http.get(`*${path}`, ({ request }) => {
      seen.push(new URL(request.url));
      return HttpResponse.json(body);
    }),
  );
  return seen;
}
