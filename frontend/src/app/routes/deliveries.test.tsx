import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aDelivery, aDestination, aSource, aUser } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { answerGet, page, renderPage } from "@/testing/test-utils";

import { DeliveriesRoute } from "./deliveries";

function setUp() {
  answerGet("/api/sources/", page([aSource({ id: 1, name: "GitHub" }), aSource({ id: 2, name: "Stripe", slug: "stripe" })]));
  answerGet("/api/destinations/", page([aDestination({ id: 2, name: "Slack #dev" }), aDestination({ id: 5, name: "Billing" })]));
  return answerGet("/api/deliveries/", page([aDelivery({ id: 7 }), aDelivery({ id: 8, event_type: "issues" })]));
}

describe("deliveries page", () => {
  it("reads its filters from the URL and sends them to the API", async () => {
    const requests = setUp();
    renderPage(<DeliveriesRoute />, { path: "/deliveries", url: "/deliveries?status=routed&source=2&search=acme" });

    expect(await screen.findByRole("link", { name: "Event 7 (push)" })).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "Status" })).toHaveValue("routed");
    expect(screen.getByRole("searchbox", { name: "Search" })).toHaveValue("acme");
    await waitFor(() => expect(screen.getByRole("combobox", { name: "Source" })).toHaveValue("2"));
    const query = requests[0]?.searchParams;
    expect(query?.get("status")).toBe("routed");
    expect(query?.get("source")).toBe("2");
    expect(query?.get("search")).toBe("acme");
  });

  it("filters events routes refused apart from those with no route", async () => {
    const requests = setUp();
    const { user } = renderPage(<DeliveriesRoute />, { path: "/deliveries" });
    const status = await screen.findByRole("combobox", { name: "Status" });

    await user.selectOptions(status, "Filtered by routes");
    await waitFor(() => expect(requests.at(-1)?.searchParams.get("status")).toBe("filtered"));
    await user.selectOptions(status, "No route");
    await waitFor(() => expect(requests.at(-1)?.searchParams.get("status")).toBe("no_route"));
  });

  it("writes a changed filter into the URL, back to page 1", async () => {
    const requests = setUp();
    const { user, router } = renderPage(<DeliveriesRoute />, { path: "/deliveries", url: "/deliveries?page=3" });
    await screen.findByRole("link", { name: "Event 7 (push)" });

    await user.selectOptions(screen.getByRole("combobox", { name: "Outcome status" }), "dead_lettered");

    await waitFor(() => expect(router.state.location.search).toBe("?outcome_status=dead_lettered"));
    await waitFor(() => expect(requests.at(-1)?.searchParams.get("outcome_status")).toBe("dead_lettered"));
    expect(requests.at(-1)?.searchParams.get("page")).toBe("1");
  });

  it("filters by destination, and replays the dead letters of that destination", async () => {
    const requests = setUp();
    const bodies: unknown[] = [];
    server.use(
      http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
      http.post("*/api/deliveries/bulk_replay/", async ({ request }) => {
        const body = (await request.json()) as { dry_run: boolean };
        bodies.push(body);
        return HttpResponse.json(body.dry_run ? { would_queue: 2 } : { queued: 2 });
      }),
    );
    const { user, router } = renderPage(<DeliveriesRoute />, { path: "/deliveries" });
    await screen.findByRole("link", { name: "Event 7 (push)" });

    await user.selectOptions(screen.getByRole("combobox", { name: "Destination" }), "Billing");

    await waitFor(() => expect(router.state.location.search).toBe("?destination=5"));
    await waitFor(() => expect(requests.at(-1)?.searchParams.get("destination")).toBe("5"));
    await user.click(screen.getByRole("button", { name: "Replay dead letters matching this filter" }));
    await user.click(within(await screen.findByRole("dialog", { name: "Replay 2 dead letters?" })).getByRole("button", { name: "Replay 2" }));
    await screen.findByText("Queued 2 dead letters for replay.");
    expect(bodies).toEqual([
      { destination: "5", outcome_status: "dead_lettered", dry_run: true },
      { destination: "5", outcome_status: "dead_lettered", dry_run: false },
    ]);
  });

  it("writes the search text into the URL once typing pauses", async () => {
    setUp();
    const { user, router } = renderPage(<DeliveriesRoute />, { path: "/deliveries" });
    await screen.findByRole("link", { name: "Event 7 (push)" });

    await user.type(screen.getByRole("searchbox", { name: "Search" }), "order_42{Enter}");

    await waitFor(() => expect(router.state.location.search).toBe("?search=order_42"));
  });

  it("asks how many dead letters match before replaying them", async () => {
    setUp();
    const bodies: unknown[] = [];
    server.use(
      http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
      http.post("*/api/deliveries/bulk_replay/", async ({ request }) => {
        const body = (await request.json()) as { dry_run: boolean };
        bodies.push(body);
        return HttpResponse.json(body.dry_run ? { would_queue: 3 } : { queued: 3 });
      }),
    );
    const { user } = renderPage(<DeliveriesRoute />, { path: "/deliveries", url: "/deliveries?source=1" });
    await screen.findByRole("link", { name: "Event 7 (push)" });

    await user.click(screen.getByRole("button", { name: "Replay dead letters matching this filter" }));
    const dialog = await screen.findByRole("dialog", { name: "Replay 3 dead letters?" });
    await user.click(within(dialog).getByRole("button", { name: "Replay 3" }));

    expect(await screen.findByText("Queued 3 dead letters for replay.")).toBeInTheDocument();
    expect(bodies).toEqual([
      { source: "1", outcome_status: "dead_lettered", dry_run: true },
      { source: "1", outcome_status: "dead_lettered", dry_run: false },
    ]);
  });

  it("says so when no event matches", async () => {
    answerGet("/api/sources/", page([]));
    answerGet("/api/deliveries/", page([]));
    renderPage(<DeliveriesRoute />, { path: "/deliveries", url: "/deliveries?event_type=nothing" });

    expect(await screen.findByText("No event matches these filters")).toBeInTheDocument();
  });

  it("needs a filter before it offers a bulk replay", async () => {
    setUp();
    const { router } = renderPage(<DeliveriesRoute />, { path: "/deliveries" });
    await screen.findByRole("link", { name: "Event 7 (push)" });

    const button = screen.getByRole("button", { name: "Replay dead letters matching this filter" });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription("Choose a filter first: a replay never covers every event.");

    // The list's outcome status alone is not a filter for a replay, which picks its own.
    await router.navigate("/deliveries?outcome_status=dead_lettered");
    await waitFor(() => expect(button).toBeDisabled());
    await router.navigate("/deliveries?source=1");
    await waitFor(() => expect(screen.getByRole("button", { name: "Replay dead letters matching this filter" })).toBeEnabled());
  });

  it("re-sends delivered outcomes only when asked, and says when the cap cut the batch", async () => {
    setUp();
    const bodies: Record<string, unknown>[] = [];
    server.use(
      http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
      http.post("*/api/deliveries/bulk_replay/", async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        bodies.push(body);
        const cap = { matched: 12345, capped: true, limit: 10000 };
        return HttpResponse.json(body.dry_run ? { would_queue: 10000, ...cap } : { queued: 10000, ...cap });
      }),
    );
    const { user } = renderPage(<DeliveriesRoute />, { path: "/deliveries", url: "/deliveries?source=1" });
    await screen.findByRole("link", { name: "Event 7 (push)" });

    await user.click(screen.getByRole("checkbox", { name: "Also re-send delivered outcomes" }));
    await user.click(screen.getByRole("button", { name: "Replay outcomes matching this filter" }));
    const dialog = await screen.findByRole("dialog", { name: "Replay 10,000 outcomes?" });
    expect(dialog).toHaveTextContent("This run queues 10,000 of 12,345 matching outcomes (limit 10,000).");
    await user.click(within(dialog).getByRole("button", { name: "Replay 10,000" }));

    expect(await screen.findByText("Queued 10,000 of 12,345 matching outcomes (limit 10,000).")).toBeInTheDocument();
    expect(bodies).toEqual([
      { source: "1", include_delivered: true, dry_run: true },
      { source: "1", include_delivered: true, dry_run: false },
    ]);
  });

  it("offers a viewer no bulk replay", async () => {
    setUp();
    renderPage(<DeliveriesRoute />, { path: "/deliveries", url: "/deliveries?source=1", me: aUser("viewer") });
    await screen.findByRole("link", { name: "Event 7 (push)" });

    expect(screen.queryByRole("button", { name: /matching this filter/ })).not.toBeInTheDocument();
  });
});
