import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aDelivery, aDestination, aSource, aUser } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { answerGet, apiError, page, renderPage } from "@/testing/test-utils";
import type { DestinationStats } from "@/types/api";

import { DestinationRoute } from "./destination";

function someStats(overrides: Partial<DestinationStats> = {}): DestinationStats {
  return {
    window: "24h",
    since: "2024-05-01T10:00:00Z",
    until: "2024-05-02T10:00:00Z",
    attempts: 4,
    delivered: 3,
    failed: 1,
    success_rate: 0.75,
    p50_ms: 42,
    p95_ms: 1530,
    held: 2,
    dead_letters: 1,
    recent_errors: [
      { at: new Date().toISOString(), status_code: 503, error: "upstream down", event: 9, outcome: 31 },
    ],
    health: { ...aDestination().health, last_success_at: new Date().toISOString() },
    ...overrides,
  };
}

function setUp(stats: DestinationStats = someStats()) {
  answerGet("/api/destinations/2/", aDestination());
  answerGet("/api/sources/", page([aSource()]));
  const deliveries = answerGet("/api/deliveries/", page([aDelivery({ id: 9, outcome_counts: { dead_lettered: 1 } })]));
  const windows: (string | null)[] = [];
  server.use(
    http.get("*/api/destinations/2/stats/", ({ request }) => {
      const window = new URL(request.url).searchParams.get("window");
      windows.push(window);
      return HttpResponse.json(window === "1h" ? { ...stats, window: "1h", attempts: 0, delivered: 0, success_rate: null, p50_ms: null, p95_ms: null } : stats);
    }),
  );
  return { deliveries, windows };
}

describe("destination page", () => {
  it("shows its health, held count, success rate and latency, and its recent errors", async () => {
    setUp();
    renderPage(<DestinationRoute />, { path: "/destinations/:id", url: "/destinations/2", me: aUser("viewer") });

    const cards = await screen.findByLabelText("Destination figures");
    expect(within(cards).getByText("Healthy")).toBeInTheDocument();
    expect(cards).toHaveTextContent("Held2");
    expect(cards).toHaveTextContent("Dead letters1");
    expect(cards).toHaveTextContent("Success rate75.0%3 of 4 attempts, last 24 h");
    expect(cards).toHaveTextContent("Latency p5042 ms");
    expect(cards).toHaveTextContent("Latency p951.53 s");
    const errors = screen.getByRole("list", { name: "Recent errors" });
    expect(within(errors).getByText("HTTP 503")).toBeInTheDocument();
    expect(within(errors).getByText("upstream down")).toBeInTheDocument();
    expect(within(errors).getByRole("link", { name: "Event #9" })).toHaveAttribute("href", "/deliveries/9");
    // A viewer reads; replaying is an operator's.
    expect(screen.queryByRole("button", { name: /Replay/ })).not.toBeInTheDocument();
  });

  it("asks for the figures of the window chosen", async () => {
    const { windows } = setUp();
    const { user } = renderPage(<DestinationRoute />, { path: "/destinations/:id", url: "/destinations/2" });
    await screen.findByLabelText("Destination figures");

    await user.click(screen.getByRole("radio", { name: "Last 1 h" }));

    await waitFor(() => expect(screen.getByLabelText("Destination figures")).toHaveTextContent("no attempt in the last 1 h"));
    expect(windows).toEqual(["24h", "1h"]);
  });

  it("says the week's latencies are estimates", async () => {
    setUp(someStats({ window: "7d" }));
    renderPage(<DestinationRoute />, { path: "/destinations/:id", url: "/destinations/2" });

    const cards = await screen.findByLabelText("Destination figures");
    expect(cards).toHaveTextContent("Latency p951.53 slast 7 d, estimated within 5 %");
    expect(cards).toHaveTextContent("3 of 4 attempts, last 7 d");
  });

  it("lists only the deliveries that went to this destination", async () => {
    const { deliveries } = setUp();
    renderPage(<DestinationRoute />, { path: "/destinations/:id", url: "/destinations/2?outcome_status=dead_lettered" });

    expect(await screen.findByRole("link", { name: "Event 9 (push)" })).toBeInTheDocument();
    const query = deliveries.at(-1)?.searchParams;
    expect(query?.get("destination")).toBe("2");
    expect(query?.get("outcome_status")).toBe("dead_lettered");
    expect(screen.queryByRole("combobox", { name: "Destination" })).not.toBeInTheDocument();
  });

  it("replays its dead letters for an operator", async () => {
    setUp();
    const bodies: unknown[] = [];
    server.use(
      http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
      http.post("*/api/deliveries/bulk_replay/", async ({ request }) => {
        const body = (await request.json()) as { dry_run: boolean };
        bodies.push(body);
        return HttpResponse.json(body.dry_run ? { would_queue: 1 } : { queued: 1 });
      }),
    );
    const { user } = renderPage(<DestinationRoute />, { path: "/destinations/:id", url: "/destinations/2", me: aUser("operator") });

    await user.click(await screen.findByRole("button", { name: "Replay 1 dead letter" }));
    const dialog = await screen.findByRole("dialog", { name: "Replay 1 dead letter?" });
    await user.click(within(dialog).getByRole("button", { name: "Replay 1" }));

    expect(await screen.findByText("Queued 1 dead letter for replay.")).toBeInTheDocument();
    expect(bodies).toEqual([
      { destination: "2", outcome_status: "dead_lettered", dry_run: true },
      { destination: "2", outcome_status: "dead_lettered", dry_run: false },
    ]);
  });

  it("disables the replay when it has no dead letter", async () => {
    setUp(someStats({ dead_letters: 0 }));
    renderPage(<DestinationRoute />, { path: "/destinations/:id", url: "/destinations/2", me: aUser("operator") });

    expect(await screen.findByRole("button", { name: "No dead letters to replay" })).toBeDisabled();
  });

  it("says a new destination has no deliveries yet", async () => {
    setUp(someStats({ health: aDestination().health, attempts: 0, delivered: 0, success_rate: null, recent_errors: [] }));
    renderPage(<DestinationRoute />, { path: "/destinations/:id", url: "/destinations/2" });

    const cards = await screen.findByLabelText("Destination figures");
    expect(within(cards).getByText("No deliveries yet")).toBeInTheDocument();
    expect(within(cards).queryByText("Healthy")).not.toBeInTheDocument();
    expect(screen.getByText("No failed attempt in this window")).toBeInTheDocument();
  });

  it("says so when the destination does not exist", async () => {
    server.use(http.get("*/api/destinations/99/", () => apiError(404, "not_found", "Not found.")));
    renderPage(<DestinationRoute />, { path: "/destinations/:id", url: "/destinations/99" });

    expect(await screen.findByText("This destination does not exist")).toBeInTheDocument();
  });
});
