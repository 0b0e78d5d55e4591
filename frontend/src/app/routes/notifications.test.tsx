import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aChannel, aNotification, aUser, NOTIFICATION_TYPES } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { answerGet, page, renderPage } from "@/testing/test-utils";

import { NotificationsRoute } from "./notifications";

describe("notifications page", () => {
  beforeEach(() => {
    server.use(
      http.get("*/api/notification-types/", () => HttpResponse.json({ results: NOTIFICATION_TYPES })),
      http.get("*/api/notification-channels/", () => HttpResponse.json(page([aChannel()]))),
    );
  });

  it("lists notifications with type, subject, channel, status, attempts and last error", async () => {
    answerGet(
      "/api/notifications/",
      page([
        aNotification({
          status: "retrying",
          attempts: 2,
          last_status_code: 500,
          last_error: "HTTP 500 Internal Server Error",
          next_attempt_at: "2099-01-01T00:00:00Z",
        }),
      ]),
    );
    renderPage(<NotificationsRoute />, { path: "/notifications", me: aUser("viewer") });

    const row = (await screen.findByText("destination.failing", { selector: "td" })).closest("tr") as HTMLElement;
    expect(row).toHaveTextContent("destination:2");
    expect(row).toHaveTextContent("ops");
    expect(within(row).getByText("Retrying")).toBeInTheDocument();
    expect(row).toHaveTextContent("HTTP 500");
    expect(row).toHaveTextContent("HTTP 500 Internal Server Error");
    expect(within(row).getByText("2")).toBeInTheDocument();
  });

  it("filters by type, status and channel through the API", async () => {
    const seen = answerGet("/api/notifications/", page([aNotification()]));
    const { user } = renderPage(<NotificationsRoute />, { path: "/notifications" });
    await screen.findByText("destination:2");

    const filters = screen.getByRole("search", { name: "Filter notifications" });
    await user.selectOptions(within(filters).getByRole("combobox", { name: "Type" }), "dead_letters");
    await user.selectOptions(within(filters).getByRole("combobox", { name: "Status" }), "Failed");
    await within(filters).findByRole("option", { name: "ops" });
    await user.selectOptions(within(filters).getByRole("combobox", { name: "Channel" }), "ops");

    await waitFor(() => {
      const last = seen.at(-1)?.searchParams;
      expect(last?.get("type")).toBe("dead_letters");
      expect(last?.get("status")).toBe("failed");
      expect(last?.get("channel")).toBe("3");
    });
  });

  it("opens a notification and shows its JSON body", async () => {
    answerGet("/api/notifications/", page([aNotification()]));
    const { user } = renderPage(<NotificationsRoute />, { path: "/notifications" });

    await user.click(await screen.findByRole("button", { name: "Show notification 11" }));
    const dialog = await screen.findByRole("dialog", { name: "Notification 11: destination.failing" });
    expect(dialog).toHaveTextContent("Destination Slack #dev is failing: 5 consecutive failures.");
    expect(dialog).toHaveTextContent("summary");
  });

  it("reads its filters from the address", async () => {
    const seen = answerGet("/api/notifications/", page([]));
    renderPage(<NotificationsRoute />, { path: "/notifications", url: "/notifications?status=failed&channel=3" });

    expect(await screen.findByText("No notification matches these filters")).toBeInTheDocument();
    expect(seen[0]?.searchParams.get("status")).toBe("failed");
    expect(seen[0]?.searchParams.get("channel")).toBe("3");
  });
});
