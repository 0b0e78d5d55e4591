import { screen, waitFor } from "@testing-library/react";

import { aUser } from "@/testing/fixtures";
import { answerGet, renderPage } from "@/testing/test-utils";
import type { MetricPoint, MetricsSummary } from "@/types/api";

import { OverviewRoute } from "./overview";

const summary: MetricsSummary = {
  events_received_24h: 10,
  delivered_24h: 8,
  failed_attempts_24h: 2,
  dead_letters: 3,
  duplicates_24h: 0,
  sig_failed_24h: 0,
  queue_depth: 0,
  held: 0,
  success_rate_24h: 0.8,
  recent_failures: [],
};

function aPoint(minutesAgo: number, deadLettersTotal: number): MetricPoint {
  return {
    collected_at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    interval_seconds: 60,
    events_received: 0,
    events_duplicate: 0,
    events_sig_failed: 0,
    deliveries_succeeded: 0,
    attempts_failed: 0,
    dead_lettered: 0,
    dead_letters_total: deadLettersTotal,
    queue_depth: 0,
    held: 0,
    success_rate: null,
    throughput_per_minute: 0,
  };
}

function card(label: string): HTMLElement {
  return screen.getByText(label, { selector: "dt" }).closest("div") as HTMLElement;
}

describe("overview", () => {
  it("ends the dead-letter chart on the card's live figure, not on a minute-old sample", async () => {
    answerGet("/api/metrics/summary/", summary);
    answerGet("/api/metrics/", { results: [aPoint(3, 0), aPoint(1, 1)] });
    renderPage(<OverviewRoute />, { me: aUser("viewer") });

    await waitFor(() => expect(card("Dead letters")).toHaveTextContent("3"));
    expect(card("Dead letters")).toHaveTextContent("now, any age: waiting for replay");
    const chart = (await screen.findByText("Dead letters waiting for replay")).closest("figure") as HTMLElement;
    await waitFor(() => expect(chart).toHaveTextContent("now 3"));
  });

  it("says there were no deliveries yet on an idle gateway, not that every one went through", async () => {
    answerGet("/api/metrics/summary/", { ...summary, delivered_24h: 0, failed_attempts_24h: 0, dead_letters: 0 });
    answerGet("/api/metrics/", { results: [] });
    renderPage(<OverviewRoute />, { me: aUser("viewer") });

    expect(await screen.findByText("No deliveries yet")).toBeInTheDocument();
    expect(screen.queryByText(/went through/)).not.toBeInTheDocument();
  });

  it("says every delivery went through when some were sent and none is failing", async () => {
    answerGet("/api/metrics/summary/", { ...summary, dead_letters: 0 });
    answerGet("/api/metrics/", { results: [] });
    renderPage(<OverviewRoute />, { me: aUser("viewer") });

    expect(await screen.findByText("No recent failures")).toBeInTheDocument();
    expect(screen.getByText("Every delivery of the last 24 hours went through.")).toBeInTheDocument();
  });
});
