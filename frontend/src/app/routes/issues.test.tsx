import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aUser } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { answerGet, page, renderPage } from "@/testing/test-utils";
import type { IssueDetail, IssueOutcome } from "@/types/api";

import { IssueRoute } from "./issue";
import { IssuesRoute } from "./issues";

function anIssue(overrides: Partial<IssueDetail> = {}): IssueDetail {
  return {
    id: 7,
    destination: 2,
    destination_name: "Slack dev",
    destination_deleted: false,
    kind: "http_5xx",
    kind_label: "HTTP 5xx",
    status: "open",
    count: 12,
    first_seen: "2026-01-01T10:00:00Z",
    last_seen: "2026-01-01T11:00:00Z",
    last_error: "HTTP 503 Service Unavailable",
    last_status_code: 503,
    acknowledged_at: null,
    acknowledged_by: "",
    resolved_at: null,
    resolved_by: "",
    reopened_at: null,
    affected: 4,
    dead_letters: 2,
    ...overrides,
  };
}

function anAffectedOutcome(overrides: Partial<IssueOutcome> = {}): IssueOutcome {
  return {
    id: 31,
    event: 101,
    event_type: "push",
    received_at: "2026-01-01T10:59:00Z",
    source_name: "GitHub",
    status: "dead_lettered",
    attempt_count: 6,
    last_status_code: 503,
    last_error: "HTTP 503 Service Unavailable",
    updated_at: "2026-01-01T11:00:00Z",
    ...overrides,
  };
}

describe("issues page", () => {
  beforeEach(() => {
    answerGet("/api/destinations/", page([]));
  });

  it("lists each issue with its kind, destination, status, count and last error", async () => {
    answerGet("/api/issues/", page([anIssue()]));
    renderPage(<IssuesRoute />, { path: "/issues", me: aUser("viewer") });

    const link = await screen.findByRole("link", { name: "HTTP 5xx" });
    expect(link).toHaveAttribute("href", "/issues/7");
    const row = link.closest("tr") as HTMLElement;
    expect(row).toHaveTextContent("at Slack dev");
    expect(within(row).getByText("Open")).toBeInTheDocument();
    expect(row).toHaveTextContent("12");
    expect(row).toHaveTextContent("HTTP 503 Service Unavailable");
  });

  it("filters by status and kind through the API", async () => {
    const seen = answerGet("/api/issues/", page([anIssue()]));
    const { user } = renderPage(<IssuesRoute />, { path: "/issues" });
    await screen.findByRole("link", { name: "HTTP 5xx" });

    const filters = screen.getByRole("search", { name: "Filter issues" });
    await user.selectOptions(within(filters).getByRole("combobox", { name: "Status" }), "Resolved");
    await user.selectOptions(within(filters).getByRole("combobox", { name: "Kind" }), "Timeout");

    await waitFor(() => {
      const last = seen.at(-1)?.searchParams;
      expect(last?.get("status")).toBe("resolved");
      expect(last?.get("kind")).toBe("timeout");
    });
  });
});

describe("issue page", () => {
  it("shows the affected events, linked to their pages", async () => {
    answerGet("/api/issues/7/", anIssue());
    answerGet("/api/issues/7/outcomes/", page([anAffectedOutcome()]));
    renderPage(<IssueRoute />, { path: "/issues/:id", url: "/issues/7", me: aUser("viewer") });

    expect(await screen.findByRole("heading", { name: "HTTP 5xx at Slack dev" })).toBeInTheDocument();
    const event = await screen.findByRole("link", { name: "#101" });
    expect(event).toHaveAttribute("href", "/deliveries/101");
    expect(event.closest("tr")).toHaveTextContent("Dead lettered");
    // A viewer is offered no action.
    expect(screen.queryByRole("button", { name: /Resolve|Acknowledge|Replay/ })).not.toBeInTheDocument();
  });

  it("lets an operator replay the dead letters and says how many were queued", async () => {
    answerGet("/api/issues/7/", anIssue());
    answerGet("/api/issues/7/outcomes/", page([anAffectedOutcome()]));
    const posted: string[] = [];
    server.use(
      http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
      http.post("*/api/issues/7/replay/", ({ request }) => {
        posted.push(new URL(request.url).pathname);
        return HttpResponse.json({ queued: 2, matched: 2, capped: false, limit: 1000 });
      }),
    );
    const { user } = renderPage(<IssueRoute />, { path: "/issues/:id", url: "/issues/7", me: aUser("operator") });

    await user.click(await screen.findByRole("button", { name: "Replay dead letters (2)" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Replay" }));

    expect(await screen.findByText("2 dead letters queued for replay")).toBeInTheDocument();
    expect(posted).toEqual(["/api/issues/7/replay/"]);
    expect(screen.getByRole("button", { name: "Acknowledge" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Resolve" })).toBeInTheDocument();
  });
});
