// Pause, resume, enable and held counts on the destinations, routes and sources pages and
// the overview (issue #13's contract: `paused`, `held_count`, `disabled_at`/`disabled_reason`,
// the pause/resume/enable actions answering `released`, the summary's `held`).

import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aDestination, aRoute, aSource, aUser, SCHEMES } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { answerGet, page, renderPage } from "@/testing/test-utils";
import type { MetricsSummary } from "@/types/api";

import { DeliveriesRoute } from "./deliveries";
import { DestinationsRoute } from "./destinations";
import { OverviewRoute } from "./overview";
import { RoutesRoute } from "./routes";
import { SourcesRoute } from "./sources";

beforeEach(() => {
  server.use(http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })));
});

describe("pausing a destination", () => {
  it("pauses a destination, then shows it paused", async () => {
    let paused = false;
    const calls: string[] = [];
    server.use(
      http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination({ paused, held_count: 0 })]))),
      http.post("*/api/destinations/2/pause/", () => {
        calls.push("pause");
        paused = true;
        return HttpResponse.json(aDestination({ paused: true, held_count: 0 }));
      }),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations", me: aUser("operator") });

    await user.click(await screen.findByRole("button", { name: "Pause Slack #dev" }));

    expect(await screen.findByRole("button", { name: "Resume Slack #dev" })).toBeInTheDocument();
    expect(screen.getByText("Paused")).toBeInTheDocument();
    expect(await screen.findByText(/Destination “Slack #dev” paused/)).toBeInTheDocument();
    expect(calls).toEqual(["pause"]);
  });

  it("resumes a paused destination and says how many held outcomes were released", async () => {
    server.use(
      http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination({ paused: true, held_count: 7 })]))),
      http.post("*/api/destinations/2/resume/", () =>
        HttpResponse.json({ ...aDestination({ paused: false, held_count: 0 }), released: 7 }),
      ),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations", me: aUser("operator") });

    const row = (await screen.findByText("7 held")).closest("tr") as HTMLElement;
    expect(within(row).getByText("Paused")).toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "Resume Slack #dev" }));

    expect(await screen.findByText("Destination “Slack #dev” resumed. 7 held outcomes released.")).toBeInTheDocument();
  });

  it("shows why a destination was disabled and enables it again", async () => {
    let enabled = false;
    const reason = "failed every attempt for 3 days (100 in a row): HTTP 502";
    server.use(
      http.get("*/api/destinations/", () =>
        HttpResponse.json(
          page([
            aDestination({
              paused: false,
              held_count: enabled ? 0 : 12,
              disabled_at: enabled ? null : "2024-05-01T10:00:00Z",
              disabled_reason: enabled ? "" : reason,
            }),
          ]),
        ),
      ),
      http.post("*/api/destinations/2/enable/", () => {
        enabled = true;
        return HttpResponse.json({ ...aDestination({ disabled_at: null, disabled_reason: "" }), released: 12 });
      }),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations", me: aUser("operator") });

    expect(await screen.findByText("Disabled")).toBeInTheDocument();
    expect(screen.getByText(reason)).toBeInTheDocument();
    expect(screen.getByText("12 held")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Enable Slack #dev" }));

    expect(await screen.findByText("Destination “Slack #dev” enabled. 12 held outcomes released.")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText("Disabled")).not.toBeInTheDocument());
    expect(screen.queryByRole("button", { name: "Enable Slack #dev" })).not.toBeInTheDocument();
  });

  it("shows a viewer the paused and disabled state but no pause, resume or enable", async () => {
    server.use(
      http.get("*/api/destinations/", () =>
        HttpResponse.json(
          page([aDestination({ paused: true, held_count: 3, disabled_at: "2024-05-01T10:00:00Z", disabled_reason: "off" })]),
        ),
      ),
    );
    renderPage(<DestinationsRoute />, { path: "/destinations", me: aUser("viewer") });

    expect(await screen.findByText("Paused")).toBeInTheDocument();
    expect(screen.getByText("Disabled")).toBeInTheDocument();
    expect(screen.getByText("3 held")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^(Pause|Resume|Enable) / })).not.toBeInTheDocument();
  });

  it("offers no pause to a server that does not know pausing", async () => {
    // An older server: none of the pause fields.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { paused, held_count, disabled_at, disabled_reason, ...older } = aDestination();
    server.use(http.get("*/api/destinations/", () => HttpResponse.json(page([older]))));
    renderPage(<DestinationsRoute />, { path: "/destinations", me: aUser("admin") });

    expect(await screen.findByRole("button", { name: "Edit Slack #dev" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Pause Slack #dev" })).not.toBeInTheDocument();
    expect(screen.queryByText(/held/)).not.toBeInTheDocument();
  });

  it("tells an inactive destination from a paused one", async () => {
    server.use(http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination({ is_active: false, paused: false })]))));
    renderPage(<DestinationsRoute />, { path: "/destinations", me: aUser("viewer") });

    expect(await screen.findByText("Inactive")).toBeInTheDocument();
    expect(screen.queryByText("Paused")).not.toBeInTheDocument();
  });

  it("shows the refusal of a pause in a toast", async () => {
    server.use(
      http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination({ paused: false })]))),
      http.post("*/api/destinations/2/pause/", () =>
        HttpResponse.json({ error: { code: "permission_denied", message: "You may not pause.", fields: {} } }, { status: 403 }),
      ),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations", me: aUser("operator") });

    await user.click(await screen.findByRole("button", { name: "Pause Slack #dev" }));
    expect(await screen.findByText("You may not pause.")).toBeInTheDocument();
  });
});

describe("pausing a route", () => {
  function routesApi(paused: { value: boolean }) {
    answerGet("/api/sources/", page([aSource()]));
    answerGet("/api/destinations/", page([aDestination()]));
    answerGet("/api/transformers/", { results: [{ name: "passthrough", description: "As received." }] });
    server.use(
      http.get("*/api/routes/", () => HttpResponse.json(page([aRoute({ paused: paused.value, held_count: paused.value ? 2 : 0 })]))),
      http.post("*/api/routes/4/pause/", () => {
        paused.value = true;
        return HttpResponse.json(aRoute({ paused: true }));
      }),
      http.post("*/api/routes/4/resume/", () => {
        paused.value = false;
        return HttpResponse.json({ ...aRoute({ paused: false }), released: 2 });
      }),
    );
  }

  it("pauses and resumes a route, showing its held count", async () => {
    routesApi({ value: false });
    const { user } = renderPage(<RoutesRoute />, { path: "/routes", me: aUser("operator") });

    expect(await screen.findByText("0 held")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Pause pushes" }));
    expect(await screen.findByText("2 held")).toBeInTheDocument();
    expect(screen.getByText("Paused")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Resume pushes" }));
    expect(await screen.findByText("Route “pushes” resumed. 2 held outcomes released.")).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "Pause pushes" })).toBeInTheDocument();
  });

  it("offers a viewer no pause", async () => {
    routesApi({ value: true });
    renderPage(<RoutesRoute />, { path: "/routes", me: aUser("viewer") });

    expect(await screen.findByText("Paused")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Resume pushes" })).not.toBeInTheDocument();
  });
});

describe("pausing a source", () => {
  it("pauses a source for an operator, and shows a viewer only the badge", async () => {
    let paused = false;
    answerGet("/api/schemes/", { results: SCHEMES });
    server.use(
      http.get("*/api/sources/", () => HttpResponse.json(page([aSource({ paused })]))),
      http.get("*/api/routes/", () => HttpResponse.json(page([]))),
      http.post("*/api/sources/1/pause/", () => {
        paused = true;
        return HttpResponse.json(aSource({ paused: true }));
      }),
    );
    const operator = renderPage(<SourcesRoute />, { path: "/sources", me: aUser("operator") });
    await operator.user.click(await screen.findByRole("button", { name: "Pause GitHub" }));
    expect(await screen.findByRole("button", { name: "Resume GitHub" })).toBeInTheDocument();
    operator.unmount();

    renderPage(<SourcesRoute />, { path: "/sources", me: aUser("viewer") });
    expect(await screen.findByText("Paused")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Resume GitHub" })).not.toBeInTheDocument();
  });
});

describe("held outcomes elsewhere", () => {
  const summary: MetricsSummary = {
    events_received_24h: 10,
    delivered_24h: 8,
    failed_attempts_24h: 0,
    dead_letters: 0,
    duplicates_24h: 0,
    sig_failed_24h: 0,
    queue_depth: 0,
    success_rate_24h: 1,
    recent_failures: [],
  };

  function overviewApi(body: MetricsSummary) {
    answerGet("/api/metrics/summary/", body);
    answerGet("/api/metrics/", { results: [] });
  }

  it("shows a Held card on the overview when the summary counts held outcomes", async () => {
    overviewApi({ ...summary, held: 42 });
    renderPage(<OverviewRoute />, { me: aUser("viewer") });

    const card = (await screen.findByText("Held")).closest("div") as HTMLElement;
    await waitFor(() => expect(card).toHaveTextContent("42"));
  });

  it("counts events filtered by routes apart from those with no route", async () => {
    overviewApi({ ...summary, filtered_24h: 5, no_route_24h: 2 });
    renderPage(<OverviewRoute />, { me: aUser("viewer") });

    const filtered = (await screen.findByText("Filtered by routes")).closest("div") as HTMLElement;
    await waitFor(() => expect(filtered).toHaveTextContent("5"));
    expect((screen.getByText("No route").closest("div") as HTMLElement).textContent).toContain("2");
  });

  it("leaves the Held card out when the summary has no held count", async () => {
    overviewApi(summary);
    renderPage(<OverviewRoute />, { me: aUser("viewer") });

    expect(await screen.findByText("Events received")).toBeInTheDocument();
    await screen.findByText("100.0%");
    expect(screen.queryByText("Held")).not.toBeInTheDocument();
  });

  it("filters deliveries by the held outcome status", async () => {
    const seen = answerGet("/api/deliveries/", page([]));
    answerGet("/api/sources/", page([aSource()]));
    answerGet("/api/destinations/", page([aDestination()]));
    const { user } = renderPage(<DeliveriesRoute />, { path: "/deliveries", me: aUser("viewer") });

    const filters = await screen.findByRole("search", { name: "Filter deliveries" });
    await user.selectOptions(within(filters).getByRole("combobox", { name: "Outcome status" }), "Held");
    await waitFor(() => expect(seen.at(-1)?.searchParams.get("outcome_status")).toBe("held"));
  });
});
