import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aChannel, aDestination, aNotification, aSource, aUser, NOTIFICATION_TYPES } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { apiError, page, renderPage } from "@/testing/test-utils";

import { NotificationChannelsRoute } from "./notification-channels";

function answerLookups() {
  server.use(
    http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
    http.get("*/api/sources/", () => HttpResponse.json(page([aSource()]))),
    http.get("*/api/destinations/", () => HttpResponse.json(page([aDestination()]))),
    http.get("*/api/notification-types/", () => HttpResponse.json({ results: NOTIFICATION_TYPES })),
  );
}

describe("notification channels page", () => {
  beforeEach(answerLookups);

  it("lists a channel with its kind, types, scope and last error", async () => {
    server.use(
      http.get("*/api/notification-channels/", () =>
        HttpResponse.json(
          page([
            aChannel({
              types: ["destination.failing"],
              destinations: [2],
              last_error: "HTTP 502 Bad Gateway",
              last_failure_at: "2024-05-01T10:00:00Z",
              is_active: false,
            }),
          ]),
        ),
      ),
    );
    renderPage(<NotificationChannelsRoute />, { path: "/notifications/channels", me: aUser("viewer") });

    const row = (await screen.findByText("ops")).closest("tr") as HTMLElement;
    expect(row).toHaveTextContent("Webhook");
    expect(row).toHaveTextContent("Inactive");
    expect(row).toHaveTextContent("destination.failing");
    await waitFor(() => expect(row).toHaveTextContent("Destinations: Slack #dev"));
    expect(row).toHaveTextContent("Last error: HTTP 502 Bad Gateway");
  });

  it("creates a webhook channel with the types ticked and shows its secret once", async () => {
    let sent: unknown;
    server.use(
      http.get("*/api/notification-channels/", () => HttpResponse.json(page([]))),
      http.post("*/api/notification-channels/", async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ ...aChannel({ name: "pager" }), secret: "whsec_c2VjcmV0" }, { status: 201 });
      }),
    );
    const { user } = renderPage(<NotificationChannelsRoute />, { path: "/notifications/channels" });

    await user.click((await screen.findAllByRole("button", { name: "New channel" }))[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New notification channel" });
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "pager");
    await user.type(within(form).getByRole("textbox", { name: "Webhook URL" }), "https://ops.example.com/hook");
    await user.click(await within(form).findByRole("checkbox", { name: "dead_letters" }));
    await user.selectOptions(within(form).getByRole("listbox", { name: "Only these destinations" }), "Slack #dev");
    await user.click(within(form).getByRole("button", { name: "Create channel" }));

    const reveal = await screen.findByRole("dialog", { name: "Signing secret for pager" });
    expect(reveal).toHaveTextContent("whsec_c2VjcmV0");
    expect(reveal).toHaveTextContent("cannot be shown again");
    expect(within(reveal).getByRole("button", { name: "Copy secret" })).toBeInTheDocument();
    expect(sent).toEqual({
      name: "pager",
      kind: "webhook",
      url: "https://ops.example.com/hook",
      types: ["dead_letters"],
      sources: [],
      destinations: [2],
      is_active: true,
    });

    await user.click(within(reveal).getByRole("button", { name: "I have saved it" }));
    expect(screen.queryByText("whsec_c2VjcmV0")).not.toBeInTheDocument();
  });

  it("asks an e-mail channel for addresses and sends them as a list", async () => {
    let sent: { emails?: string[]; url?: string } = {};
    server.use(
      http.get("*/api/notification-channels/", () => HttpResponse.json(page([]))),
      http.post("*/api/notification-channels/", async ({ request }) => {
        sent = (await request.json()) as typeof sent;
        return HttpResponse.json({ ...aChannel({ kind: "email", url: "" }), secret: null }, { status: 201 });
      }),
    );
    const { user } = renderPage(<NotificationChannelsRoute />, { path: "/notifications/channels" });

    await user.click((await screen.findAllByRole("button", { name: "New channel" }))[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New notification channel" });
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "mail");
    await user.selectOptions(within(form).getByRole("combobox", { name: "Kind" }), "E-mail");
    expect(within(form).queryByRole("textbox", { name: "Webhook URL" })).not.toBeInTheDocument();
    await user.type(within(form).getByRole("textbox", { name: "E-mail addresses" }), "ops@example.com, oncall@example.com");
    await user.click(within(form).getByRole("button", { name: "Create channel" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(sent.emails).toEqual(["ops@example.com", "oncall@example.com"]);
    expect(sent.url).toBeUndefined();
  });

  it("puts the server's refusal of the URL on the URL field", async () => {
    server.use(
      http.get("*/api/notification-channels/", () => HttpResponse.json(page([]))),
      http.post("*/api/notification-channels/", () =>
        apiError(400, "validation_error", "Invalid input.", { url: ["Refused: 10.0.0.5 is a private address."] }),
      ),
    );
    const { user } = renderPage(<NotificationChannelsRoute />, { path: "/notifications/channels" });

    await user.click((await screen.findAllByRole("button", { name: "New channel" }))[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New notification channel" });
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "internal");
    const url = within(form).getByRole("textbox", { name: "Webhook URL" });
    await user.type(url, "http://10.0.0.5/hook");
    await user.click(within(form).getByRole("button", { name: "Create channel" }));

    await waitFor(() => expect(url).toHaveAttribute("aria-invalid", "true"));
    expect(url).toHaveAccessibleDescription("Refused: 10.0.0.5 is a private address.");
  });

  it("keeps a masked Slack URL by not sending it back on edit", async () => {
    let sent: Record<string, unknown> = {};
    const slack = aChannel({ kind: "slack", url: "https://hooks.slack.com/services/T000/…", url_masked: true, secret_set: false });
    server.use(
      http.get("*/api/notification-channels/", () => HttpResponse.json(page([slack]))),
      http.patch("*/api/notification-channels/3/", async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ ...slack, name: "ops-slack" });
      }),
    );
    const { user } = renderPage(<NotificationChannelsRoute />, { path: "/notifications/channels" });

    expect(await screen.findByText("Masked")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Rotate secret of ops" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Edit ops" }));
    const form = await screen.findByRole("dialog", { name: "Edit ops" });
    const url = within(form).getByRole("textbox", { name: "Slack webhook URL" });
    expect(url).toHaveAccessibleDescription(/Shown masked/);
    const name = within(form).getByRole("textbox", { name: "Name" });
    await user.clear(name);
    await user.type(name, "ops-slack");
    await user.click(within(form).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(sent.name).toBe("ops-slack"));
    expect(sent).not.toHaveProperty("url");
  });

  it("sends a test notification and shows its result", async () => {
    server.use(
      http.get("*/api/notification-channels/", () => HttpResponse.json(page([aChannel()]))),
      http.post("*/api/notification-channels/3/test/", () =>
        HttpResponse.json(
          aNotification({ type: "test", status: "failed", last_status_code: 503, last_error: "HTTP 503 Service Unavailable" }),
        ),
      ),
    );
    const { user } = renderPage(<NotificationChannelsRoute />, { path: "/notifications/channels", me: aUser("operator") });

    await user.click(await screen.findByRole("button", { name: "Send test notification to ops" }));
    const dialog = await screen.findByRole("dialog", { name: "Send a test notification to ops" });
    await user.click(within(dialog).getByRole("button", { name: "Send test notification" }));

    const result = await within(dialog).findByRole("region", { name: "Test result" });
    expect(result).toHaveTextContent("Failed");
    expect(result).toHaveTextContent("HTTP 503");
    expect(result).toHaveTextContent("HTTP 503 Service Unavailable");
  });

  it("rotates a webhook channel's secret and shows the new one once", async () => {
    server.use(
      http.get("*/api/notification-channels/", () => HttpResponse.json(page([aChannel()]))),
      http.post("*/api/notification-channels/3/rotate_secret/", () => HttpResponse.json({ secret: "whsec_bmV3" })),
    );
    const { user } = renderPage(<NotificationChannelsRoute />, { path: "/notifications/channels" });

    await user.click(await screen.findByRole("button", { name: "Rotate secret of ops" }));
    const confirm = await screen.findByRole("dialog", { name: "Rotate the secret of ops?" });
    expect(confirm).toHaveTextContent("the current one stops at once");
    await user.click(within(confirm).getByRole("button", { name: "Rotate secret" }));

    const reveal = await screen.findByRole("dialog", { name: "New signing secret for ops" });
    expect(reveal).toHaveTextContent("whsec_bmV3");
    expect(reveal).toHaveTextContent("cannot be shown again");
  });

  it("says before deleting that the channel's history is kept", async () => {
    let deleted = false;
    server.use(
      http.get("*/api/notification-channels/", () => HttpResponse.json(page(deleted ? [] : [aChannel()]))),
      http.delete("*/api/notification-channels/3/", () => {
        deleted = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderPage(<NotificationChannelsRoute />, { path: "/notifications/channels" });

    await user.click(await screen.findByRole("button", { name: "Delete ops" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete ops?" });
    expect(dialog).toHaveTextContent("Its notifications stay listed (history is kept)");
    await user.click(within(dialog).getByRole("button", { name: "Delete channel" }));

    expect(await screen.findByText("No notification channels yet")).toBeInTheDocument();
  });

  it("offers a viewer no action and an operator only the test", async () => {
    server.use(http.get("*/api/notification-channels/", () => HttpResponse.json(page([aChannel()]))));
    const viewer = renderPage(<NotificationChannelsRoute />, { path: "/notifications/channels", me: aUser("viewer") });
    expect(await screen.findByText("ops")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New channel" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /ops$/ })).not.toBeInTheDocument();
    viewer.unmount();

    renderPage(<NotificationChannelsRoute />, { path: "/notifications/channels", me: aUser("operator") });
    expect(await screen.findByRole("button", { name: "Send test notification to ops" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New channel" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit ops" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Rotate secret of ops" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Delete ops" })).not.toBeInTheDocument();
  });
});
