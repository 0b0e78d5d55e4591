import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { server } from "@/testing/server";
import { renderPage } from "@/testing/test-utils";
import type { Route, RouteTestResult } from "@/types/api";

import { RouteTestPanel } from "./route-test-panel";

const route: Route = {
  id: 4,
  name: "releases",
  source: 1,
  source_slug: "github",
  destination: 2,
  destination_name: "Slack #dev",
  event_types: ["push"],
  conditions: [
    { path: "$.ref", op: "starts_with", value: "refs/tags/" },
    { any: [{ path: "headers.x-github-event", op: "equals", value: "release" }, { path: "query.force", op: "exists" }] },
  ],
  transformer: "passthrough",
  transformer_options: {},
  priority: 100,
  rate_limit_per_minute: 0,
  is_active: true,
  created_at: "2024-05-01T10:00:00Z",
  updated_at: "2024-05-01T10:00:00Z",
};

function answer(result: RouteTestResult) {
  server.use(
    http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
    http.post("*/api/routes/4/test/", () => HttpResponse.json(result)),
  );
}

describe("route tester", () => {
  it("names the leaf of a group that failed, inside that group", async () => {
    answer({
      matched: false,
      reason: "a condition failed",
      failed_condition: {
        index: 1,
        path: "query.force",
        op: "exists",
        value: null,
        place: "conditions[1].any[0]",
        detail: "no such query parameter",
      },
      output: null,
      error: "",
    });
    const { user } = renderPage(<RouteTestPanel route={route} onClose={() => undefined} />);

    await user.click(screen.getByRole("button", { name: "Run test" }));
    const result = await screen.findByRole("region", { name: "Test result" });
    expect(within(result).getByText(/In group 2, this condition failed/)).toHaveTextContent("query.force exists");
    expect(within(result).getByText("no such query parameter")).toBeInTheDocument();
  });

  it("names a failed top-level condition by its number", async () => {
    answer({
      matched: false,
      reason: "a condition failed",
      failed_condition: { index: 0, path: "$.ref", op: "starts_with", value: "refs/tags/", place: "conditions[0]", detail: "" },
      output: null,
      error: "",
    });
    const { user } = renderPage(<RouteTestPanel route={route} onClose={() => undefined} />);

    await user.click(screen.getByRole("button", { name: "Run test" }));
    const result = await screen.findByRole("region", { name: "Test result" });
    expect(within(result).getByText(/Condition 1 failed/)).toHaveTextContent('$.ref starts with "refs/tags/"');
  });

  it("prints the failed condition once", async () => {
    const detail = 'condition 1 ($.ref): starts_with "refs/tags/" failed; found "refs/heads/dev"';
    answer({
      matched: false,
      reason: detail,
      failed_condition: { index: 0, path: "$.ref", op: "starts_with", value: "refs/tags/", place: "conditions[0]", detail },
      output: null,
      error: "",
    });
    const { user } = renderPage(<RouteTestPanel route={route} onClose={() => undefined} />);

    await user.click(screen.getByRole("button", { name: "Run test" }));
    const result = await screen.findByRole("region", { name: "Test result" });
    expect(within(result).getAllByText(detail)).toHaveLength(1);
    expect(within(result).getByText("No match")).toBeInTheDocument();
  });
});
