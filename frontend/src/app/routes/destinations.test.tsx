import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aDestination, aRoute, aUser } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { apiError, page, renderPage } from "@/testing/test-utils";

import { DestinationsRoute } from "./destinations";

describe("destinations page", () => {
  beforeEach(() => {
    server.use(http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })));
  });

  it("shows an SSRF refusal on the URL field", async () => {
    server.use(
      http.get("*/api/destinations/", () => HttpResponse.json(page([]))),
      http.post("*/api/destinations/", () =>
        apiError(400, "validation_error", "Invalid input.", { url: ["Refused: 10.0.0.5 is a private address."] }),
      ),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations" });
    await screen.findByText("No destinations yet");

    await user.click(screen.getAllByRole("button", { name: "New destination" })[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New destination" });
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "Internal");
    await user.type(within(form).getByRole("textbox", { name: "URL" }), "http://10.0.0.5/hook");
    await user.click(within(form).getByRole("button", { name: "Create destination" }));

    const url = within(form).getByRole("textbox", { name: "URL" });
    await waitFor(() => expect(url).toHaveAttribute("aria-invalid", "true"));
    expect(url).toHaveAccessibleDescription("Refused: 10.0.0.5 is a private address.");
  });

  it("drops the URL's refusal as soon as the URL is edited, and keeps the name as typed", async () => {
    server.use(
      http.get("*/api/destinations/", () => HttpResponse.json(page([]))),
      http.post("*/api/destinations/", () =>
        apiError(400, "validation_error", "Invalid input.", { url: ["Refused: 10.0.0.5 is a private address."] }),
      ),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations" });
    await screen.findByText("No destinations yet");

    await user.click(screen.getAllByRole("button", { name: "New destination" })[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New destination" });
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "Internal");
    const url = within(form).getByRole("textbox", { name: "URL" });
    await user.type(url, "http://10.0.0.5/hook");
    await user.click(within(form).getByRole("button", { name: "Create destination" }));
    await waitFor(() => expect(url).toHaveAttribute("aria-invalid", "true"));

    await user.type(url, "s");
    expect(url).not.toHaveAttribute("aria-invalid");
    expect(within(form).queryByText("Refused: 10.0.0.5 is a private address.")).not.toBeInTheDocument();
    expect(within(form).getByRole("textbox", { name: "Name" })).toHaveValue("Internal");
  });

  it("never shows the auth header, only that it is set and how it ends", async () => {
    server.use(
      http.get("*/api/destinations/", () =>
        HttpResponse.json(page([aDestination({ auth_header_set: true, auth_header_last4: "abcd" })])),
      ),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations" });

    expect(await screen.findByText("ends in …abcd")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Edit Slack #dev" }));
    const field = within(await screen.findByRole("dialog", { name: "Edit Slack #dev" })).getByRole("textbox", {
      name: "Auth header",
    });
    expect(field).toHaveValue("");
    expect(field).toHaveAccessibleDescription(/Set, ends in …abcd/);
  });

  it("shows the result of a test send", async () => {
    server.use(
      http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination()]))),
      http.post("*/api/destinations/2/test/", () =>
        HttpResponse.json({ ok: false, status_code: 503, duration_ms: 41.2, response_body: "upstream down", error: "HTTP 503" }),
      ),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations" });

    await user.click(await screen.findByRole("button", { name: "Send test event to Slack #dev" }));
    const dialog = await screen.findByRole("dialog", { name: "Send a test event to Slack #dev" });
    await user.click(within(dialog).getByRole("button", { name: "Send test event" }));

    const result = await within(dialog).findByRole("region", { name: "Test result" });
    expect(result).toHaveTextContent("Failed");
    expect(result).toHaveTextContent("HTTP 503");
    expect(result).toHaveTextContent("upstream down");
  });

  it("offers an operator a test send but no configuration change", async () => {
    server.use(http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination()]))));
    renderPage(<DestinationsRoute />, { path: "/destinations", me: aUser("operator") });

    expect(await screen.findByRole("button", { name: "Send test event to Slack #dev" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New destination" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit Slack #dev" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /signing secret of Slack #dev/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Delete Slack #dev" })).not.toBeInTheDocument();
  });

  it("marks a masked URL and says who sees it in full", async () => {
    server.use(
      http.get("*/api/destinations/", () =>
        HttpResponse.json(page([aDestination({ url: "https://hooks.slack.com/services/T000/…", url_masked: true })])),
      ),
    );
    renderPage(<DestinationsRoute />, { path: "/destinations", me: aUser("viewer") });

    expect(await screen.findByText("Masked")).toBeInTheDocument();
    expect(screen.getByText(/full URL visible to admins/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Send test event to Slack #dev" })).not.toBeInTheDocument();
  });

  it("says before deleting that the history of its deliveries stays", async () => {
    server.use(
      http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination()]))),
      http.get("*/api/routes/", () => HttpResponse.json(page([]))),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations" });

    await user.click(await screen.findByRole("button", { name: "Delete Slack #dev" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete Slack #dev?" });
    expect(dialog).toHaveTextContent("their outcomes and attempts stay readable");
  });

  it("shows a destination nothing was sent to yet as having no deliveries, not as healthy", async () => {
    server.use(http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination()]))));
    renderPage(<DestinationsRoute />, { path: "/destinations" });

    expect(await screen.findByText("No deliveries yet")).toBeInTheDocument();
    expect(screen.queryByText("Healthy")).not.toBeInTheDocument();
    expect(screen.queryByText(/Last success/)).not.toBeInTheDocument();
  });

  it("shows a destination that delivered as healthy, with its last success", async () => {
    const health = { ...aDestination().health, last_success_at: new Date(Date.now() - 60_000).toISOString() };
    server.use(http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination({ health })]))));
    renderPage(<DestinationsRoute />, { path: "/destinations" });

    expect(await screen.findByText("Healthy")).toBeInTheDocument();
    expect(screen.getByText(/Last success/)).toHaveTextContent("Last success 1 minute ago");
  });

  it("names the routes that use a destination before any delete, and offers no delete button", async () => {
    const seen: URL[] = [];
    server.use(
      http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination()]))),
      http.get("*/api/routes/", ({ request }) => {
        seen.push(new URL(request.url));
        return HttpResponse.json(page([aRoute({ id: 4, name: "pushes" }), aRoute({ id: 5, name: "issues" })]));
      }),
      http.delete("*/api/destinations/2/", () => HttpResponse.json({}, { status: 500 })),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations" });

    await user.click(await screen.findByRole("button", { name: "Delete Slack #dev" }));

    const dialog = await screen.findByRole("dialog", { name: "Slack #dev is in use" });
    expect(dialog).toHaveTextContent(
      "The routes pushes and issues deliver to this destination: delete them or point them elsewhere before deleting the destination.",
    );
    expect(within(dialog).queryByRole("button", { name: "Delete destination" })).not.toBeInTheDocument();
    expect(seen[0]?.searchParams.get("destination")).toBe("2");
  });

  it("shows the API's refusal once when a route took the destination meanwhile", async () => {
    const message = "Routes still deliver to this destination (late): delete them or point them elsewhere first.";
    server.use(
      http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination()]))),
      http.get("*/api/routes/", () => HttpResponse.json(page([]))),
      http.delete("*/api/destinations/2/", () => apiError(409, "conflict", message)),
    );
    const { user } = renderPage(<DestinationsRoute />, { path: "/destinations" });

    await user.click(await screen.findByRole("button", { name: "Delete Slack #dev" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete Slack #dev?" });
    await waitFor(() => expect(within(dialog).getByRole("button", { name: "Delete destination" })).toBeEnabled());
    await user.click(within(dialog).getByRole("button", { name: "Delete destination" }));

    await within(dialog).findByText(message);
    expect(dialog.textContent?.split("point them elsewhere")).toHaveLength(2);
    expect(dialog).not.toHaveTextContent("Remove or re-point");
  });

  it("links each destination to its own page", async () => {
    server.use(http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination()]))));
    renderPage(<DestinationsRoute />, { path: "/destinations" });

    expect(await screen.findByRole("link", { name: "Open Slack #dev" })).toHaveAttribute("href", "/destinations/2");
  });
});
