import { screen, within } from "@testing-library/react";

import { formatDateTime } from "@/lib/format";
import { aDelivery, aUser } from "@/testing/fixtures";
import { answerGet, renderPage } from "@/testing/test-utils";
import type { Attempt, Delivery, Outcome } from "@/types/api";

import { DeliveryRoute } from "./delivery";

function anOutcome(overrides: Partial<Outcome> = {}): Outcome {
  return {
    id: 31,
    event: 7,
    route: 4,
    route_name: "all pushes",
    destination: 2,
    destination_name: "Slack #dev",
    status: "dead_lettered",
    attempt_count: 3,
    total_attempts: 3,
    next_attempt_at: null,
    last_status_code: 500,
    last_error: "HTTP 500",
    delivered_at: null,
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-01T10:00:00Z",
    attempts: [],
    ...overrides,
  };
}

function anAttempt(number: number, overrides: Partial<Attempt> = {}): Attempt {
  return {
    number,
    started_at: "2024-05-01T10:00:00Z",
    duration_ms: 12,
    request: {
      method: "POST",
      url: "https://hooks.example.com/in?token=***",
      headers: { "Content-Type": "application/json", "webhook-signature": "v1,[redacted]", Authorization: "[redacted]" },
      body: '{"text":"pushed"}',
      body_size: 17,
      body_truncated: false,
    },
    status_code: 500,
    response_headers: { "x-request-id": "r-1" },
    response_body: "upstream broke",
    error: "HTTP 500",
    transformation: null,
    transformation_version: null,
    replay: null,
    ...overrides,
  };
}

function anEvent(overrides: Partial<Delivery> = {}): Delivery {
  return {
    ...aDelivery({ id: 7 }),
    headers: {},
    body: "{}",
    content_type: "application/json",
    payload: {},
    outcomes: [],
    ...overrides,
  };
}

function showEvent(event: Delivery, role: "viewer" | "operator" | "admin" = "admin") {
  answerGet("/api/deliveries/7/", event);
  return renderPage(<DeliveryRoute />, { path: "/deliveries/:id", url: "/deliveries/7", me: aUser(role) });
}

describe("event page", () => {
  it("says why a filtered event went nowhere, route by route", async () => {
    showEvent(
      anEvent({
        status: "filtered",
        routing: [
          {
            route: 4,
            route_name: "main only",
            route_deleted: false,
            matched: false,
            code: "condition",
            reason: 'condition 1 failed: $.ref was "refs/heads/dev", expected equals "refs/heads/main"',
          },
          { route: 5, route_name: "old", route_deleted: false, matched: false, code: "inactive", reason: "route is inactive" },
        ],
      }),
    );

    expect(
      await screen.findByText('Filtered: condition 1 failed: $.ref was "refs/heads/dev", expected equals "refs/heads/main"'),
    ).toBeInTheDocument();
    expect(screen.getByText("Filtered by routes")).toBeInTheDocument();
    const verdicts = screen.getByRole("list", { name: "Routing verdicts" });
    expect(within(verdicts).getByText("main only")).toBeInTheDocument();
    expect(within(verdicts).getByText("Inactive")).toBeInTheDocument();
    expect(screen.queryByText("No route matched this event.")).not.toBeInTheDocument();
  });

  it("says an event of a source without active routes has no route", async () => {
    showEvent(anEvent({ status: "no_route", routing: [] }));

    expect(await screen.findByText("No route: this event's source has no active route.")).toBeInTheDocument();
    expect(screen.getByText("The source had no routes when this event was routed.")).toBeInTheDocument();
  });

  it("says a refused signature can never be delivered, and offers no re-route or replay", async () => {
    showEvent(anEvent({ status: "sig_failed", error: "Signature mismatch", outcomes: [anOutcome()] }));

    expect(
      await screen.findByText("Refused: the signature did not verify — this event can never be delivered."),
    ).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Re-route event" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Replay/ })).not.toBeInTheDocument();
  });

  it("says what an ordered outcome waits for, with a link to that event, and the dead-letter rule", async () => {
    showEvent(
      anEvent({
        status: "routed",
        outcomes: [
          anOutcome({
            status: "waiting",
            last_error: "",
            last_status_code: null,
            attempt_count: 0,
            waiting_for: 30,
            waiting_for_event: 6,
            ordering: { key: "$.repository.full_name", value: "acme/api", dead_letter_blocks: false },
          }),
        ],
      }),
    );

    expect(await screen.findByText(/Ordered by/)).toHaveTextContent(
      "Ordered by $.repository.full_name = acme/api; a dead letter lets the next go.",
    );
    expect(screen.getByRole("link", { name: "event #6" })).toHaveAttribute("href", "/deliveries/6");
    expect(screen.getByText("Waiting")).toBeInTheDocument();
  });

  it("says a duplicate is a duplicate of an earlier event, and offers no re-route", async () => {
    showEvent(anEvent({ status: "duplicate" }));

    expect(await screen.findByText(/A duplicate of an earlier event/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Re-route event" })).not.toBeInTheDocument();
  });

  it("shows why routing failed and offers an operator to re-route", async () => {
    showEvent(anEvent({ status: "routing_failed", error: "Route 4: condition timed out" }), "operator");

    expect(await screen.findByRole("alert")).toHaveTextContent("Route 4: condition timed out");
    expect(screen.getByText("Routing failed")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Re-route event" })).toBeInTheDocument();
  });

  it("offers an operator replay and re-route", async () => {
    showEvent(anEvent({ outcomes: [anOutcome()] }), "operator");

    expect(await screen.findByRole("button", { name: "Replay to Slack #dev" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Re-route event" })).toBeInTheDocument();
  });

  it("offers a viewer neither replay nor re-route", async () => {
    showEvent(anEvent({ outcomes: [anOutcome()] }), "viewer");

    expect(await screen.findByRole("heading", { name: "Slack #dev" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Replay to Slack #dev" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Re-route event" })).not.toBeInTheDocument();
  });

  it("links each outcome's destination to the destination's page", async () => {
    showEvent(anEvent({ outcomes: [anOutcome()] }));

    const outcome = await screen.findByRole("article", { name: "Slack #dev" });
    expect(within(outcome).getByRole("link", { name: "Slack #dev" })).toHaveAttribute("href", "/destinations/2");
  });

  it("names a deleted source, route and destination with a badge instead of a link", async () => {
    showEvent(
      anEvent({
        source_name: "Old GitHub",
        source_deleted: true,
        outcomes: [anOutcome({ route_deleted: true, destination_deleted: true, destination_name: "Gone hook" })],
      }),
    );

    const outcome = await screen.findByRole("article", { name: /Gone hook/ });
    expect(within(outcome).getAllByText("deleted")).toHaveLength(2);
    expect(screen.getByText("Old GitHub")).toBeInTheDocument();
    expect(screen.getAllByText("deleted")).toHaveLength(3);
    expect(screen.queryByRole("link", { name: /Old GitHub|Gone hook/ })).not.toBeInTheDocument();
  });

  it("says which transformation version shaped an outcome, and shows a filtered one as filtered", async () => {
    showEvent(
      anEvent({
        outcomes: [
          anOutcome({ id: 1, transformation_version: 3, transformation_name: "push to Teams" }),
          anOutcome({ id: 2, destination_name: "Archive", status: "filtered", transformation_version: 3, transformation_name: "push to Teams" }),
          anOutcome({ id: 3, destination_name: "Plain" }),
        ],
      }),
    );

    const shaped = await screen.findByRole("article", { name: "Slack #dev" });
    expect(within(shaped).getByText("shaped by push to Teams v3")).toBeInTheDocument();
    expect(within(screen.getByRole("article", { name: "Archive" })).getByText("Filtered")).toBeInTheDocument();
    expect(within(screen.getByRole("article", { name: "Plain" })).queryByText(/shaped by/)).not.toBeInTheDocument();
  });

  it("shows what each attempt sent beside the answer, with the signature masked", async () => {
    showEvent(anEvent({ outcomes: [anOutcome({ attempts: [anAttempt(1)] })] }), "viewer");

    const request = await screen.findByRole("region", { name: "Request of attempt 1" });
    expect(within(request).getByText("https://hooks.example.com/in?token=***")).toBeInTheDocument();
    const sent = within(request).getByRole("table", { name: "Headers sent" });
    expect(within(sent).getByRole("row", { name: "webhook-signature v1,[redacted]" })).toBeInTheDocument();
    expect(within(sent).getByRole("row", { name: "Authorization [redacted]" })).toBeInTheDocument();
    expect(within(request).getByLabelText("Body sent by attempt 1")).toHaveTextContent('{"text":"pushed"}');
    const response = screen.getByRole("region", { name: "Response to attempt 1" });
    expect(response).toHaveTextContent("Status 500");
    expect(within(response).getByRole("row", { name: "x-request-id r-1" })).toBeInTheDocument();
    expect(within(response).getByLabelText("Body answered to attempt 1")).toHaveTextContent("upstream broke");
  });

  it("says when a body was cut, and that nothing was sent when nothing was", async () => {
    const cut = anAttempt(1, { request: { ...anAttempt(1).request!, body_truncated: true, body_size: 120000 } });
    showEvent(anEvent({ outcomes: [anOutcome({ attempts: [cut, anAttempt(2, { request: null, status_code: null })] })] }));

    expect(await screen.findByText("Cut: 120,000 bytes were sent; the start is kept.")).toBeInTheDocument();
    const second = screen.getByRole("region", { name: "Request of attempt 2" });
    expect(within(second).getByText("Nothing was sent for this attempt.")).toBeInTheDocument();
  });

  it("counts every attempt as the timeline does, and marks where a replay started and who asked", async () => {
    const replay = { by: "alice", via: "api" as const, at: "2024-05-02T09:00:00Z" };
    const attempts = [1, 2, 3, 4, 5, 6].map((n) => anAttempt(n));
    attempts.push(anAttempt(7, { replay, status_code: 200, error: "" }));
    showEvent(
      anEvent({
        outcomes: [
          anOutcome({
            status: "delivered",
            attempt_count: 1,
            total_attempts: 7,
            attempts,
            replays: [{ ...replay, first_attempt: 7 }],
          }),
        ],
      }),
    );

    const card = await screen.findByRole("article", { name: "Slack #dev" });
    expect(within(card).getByText("Attempts").nextSibling).toHaveTextContent("7 (1 since the replay)");
    const items = within(within(card).getByRole("list", { name: "Attempts" })).getAllByRole("listitem");
    const marker = `Replayed by alice at ${formatDateTime(replay.at)}`;
    const markerAt = items.findIndex((item) => item.textContent?.includes(marker));
    expect(markerAt).toBeGreaterThan(-1);
    expect(items[markerAt - 1]).toHaveAccessibleName("Attempt 6");
    expect(items[markerAt + 1]).toHaveAccessibleName("Attempt 7");
  });

  it("marks a replay still waiting for its first attempt, and one from the command line", async () => {
    showEvent(
      anEvent({
        outcomes: [
          anOutcome({
            status: "pending",
            attempt_count: 0,
            total_attempts: 2,
            attempts: [anAttempt(1), anAttempt(2)],
            replays: [{ by: "", via: "cli", at: "2024-05-02T09:00:00Z", first_attempt: 3 }],
          }),
        ],
      }),
    );

    expect(await screen.findByText(/Replayed from the command line at/)).toBeInTheDocument();
    expect(screen.getByText("waiting for its first try (no. 3)")).toBeInTheDocument();
  });

  it("badges a routed event by where its outcomes stand, not as routed", async () => {
    showEvent(anEvent({ status: "routed", delivery_state: "dead_lettered", outcomes: [anOutcome()] }));

    const heading = await screen.findByRole("heading", { name: /Event #7/ });
    expect(heading.parentElement).toHaveTextContent("Dead lettered");
    expect(heading.parentElement).not.toHaveTextContent("Routed");
    expect(screen.getByText("Event status").nextSibling).toHaveTextContent("Routed");
  });
});
