import { screen, within } from "@testing-library/react";

import { aDelivery, aUser } from "@/testing/fixtures";
import { answerGet, renderPage } from "@/testing/test-utils";
import type { Delivery, Outcome } from "@/types/api";

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
});
