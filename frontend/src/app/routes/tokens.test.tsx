import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aToken, aUser } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { apiError, renderPage } from "@/testing/test-utils";
import type { ApiToken, ApiTokenInput } from "@/types/api";

import { TokensRoute } from "./tokens";

/** A tiny in-memory tokens API. */
function tokensApi(initial: ApiToken[]) {
  const tokens = [...initial];
  const created: ApiTokenInput[] = [];
  server.use(
    http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
    http.get("*/api/tokens/", () => HttpResponse.json(tokens)),
    http.post("*/api/tokens/", async ({ request }) => {
      const input = (await request.json()) as ApiTokenInput;
      if (!input.name) return apiError(400, "validation_error", "Invalid input.", { name: ["This field is required."] });
      created.push(input);
      const row = aToken({ id: 99, name: input.name, prefix: "rc_new1", expires_at: "2024-08-01T10:00:00Z" });
      tokens.push(row);
      return HttpResponse.json({ ...row, token: "rc_new1.the-whole-secret-token" }, { status: 201 });
    }),
    http.post("*/api/tokens/:id/revoke/", ({ params }) => {
      const row = tokens.find((token) => token.id === Number(params.id));
      if (!row) return apiError(404, "not_found", "Not found.");
      row.revoked_at = "2024-05-02T10:00:00Z";
      return HttpResponse.json(row);
    }),
  );
  return { created };
}

describe("tokens page", () => {
  it("lists tokens by prefix and user, never the token itself", async () => {
    tokensApi([aToken({ last_used_at: "2024-05-01T11:00:00Z" }), aToken({ id: 6, name: "old", revoked_at: "2024-05-01T12:00:00Z" })]);
    renderPage(<TokensRoute />, { path: "/tokens" });

    const table = await screen.findByRole("table", { name: "API tokens" });
    expect(within(table).getByText("deploy script")).toBeInTheDocument();
    expect(within(table).getAllByText("rc_7Hq2…")).toHaveLength(2);
    expect(within(table).getAllByText("admin-user")).toHaveLength(2);
    const [, live, old] = within(table).getAllByRole("row");
    expect(within(live as HTMLElement).getByText("Active")).toBeInTheDocument();
    expect(within(old as HTMLElement).getByText("Revoked")).toBeInTheDocument();
    // Never used, expiring never: each says so.
    expect(within(old as HTMLElement).getAllByText("never")).toHaveLength(2);
    // A revoked token has nothing left to revoke.
    expect(screen.getByRole("button", { name: "Revoke deploy script" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Revoke old" })).not.toBeInTheDocument();
  });

  it("shows a new token once, with a copy button, and says it cannot be shown again", async () => {
    const api = tokensApi([]);
    const { user } = renderPage(<TokensRoute />, { path: "/tokens" });
    await screen.findByText("No API tokens yet");

    await user.click(screen.getAllByRole("button", { name: "New token" })[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New API token" });
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "ci");
    const days = within(form).getByRole("spinbutton", { name: "Expires after (days)" });
    await user.clear(days);
    await user.type(days, "30");
    await user.click(within(form).getByRole("button", { name: "Create token" }));

    const reveal = await screen.findByRole("dialog", { name: "Token ci" });
    expect(within(reveal).getByText("rc_new1.the-whole-secret-token")).toBeInTheDocument();
    expect(reveal).toHaveTextContent("it cannot be shown again");
    expect(within(reveal).getByRole("button", { name: "Copy token" })).toBeInTheDocument();
    expect(api.created).toEqual([{ name: "ci", expires_days: 30 }]);

    await user.click(within(reveal).getByRole("button", { name: "I have saved it" }));
    expect(await screen.findByText("rc_new1…")).toBeInTheDocument();
    expect(screen.queryByText("rc_new1.the-whole-secret-token")).not.toBeInTheDocument();
  });

  it("puts the server's refusal on the name, drops it once a name is typed, and sends a blank lifetime as none", async () => {
    const api = tokensApi([]);
    const { user } = renderPage(<TokensRoute />, { path: "/tokens" });
    await screen.findByText("No API tokens yet");

    await user.click(screen.getAllByRole("button", { name: "New token" })[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New API token" });
    await user.clear(within(form).getByRole("spinbutton", { name: "Expires after (days)" }));
    await user.click(within(form).getByRole("button", { name: "Create token" }));
    const name = within(form).getByRole("textbox", { name: "Name" });
    await waitFor(() => expect(name).toHaveAccessibleDescription("This field is required."));

    await user.type(name, "ci");
    expect(name).not.toHaveAttribute("aria-invalid");
    await user.click(within(form).getByRole("button", { name: "Create token" }));
    await screen.findByRole("dialog", { name: "Token ci" });
    expect(api.created).toEqual([{ name: "ci" }]);
  });

  it("revokes a token after a confirmation", async () => {
    tokensApi([aToken()]);
    const { user } = renderPage(<TokensRoute />, { path: "/tokens" });

    await user.click(await screen.findByRole("button", { name: "Revoke deploy script" }));
    const dialog = await screen.findByRole("dialog", { name: "Revoke deploy script?" });
    expect(dialog).toHaveTextContent("refused (401) from now on");
    await user.click(within(dialog).getByRole("button", { name: "Revoke token" }));

    const table = screen.getByRole("table", { name: "API tokens" });
    await waitFor(() => expect(within(within(table).getAllByRole("row")[1] as HTMLElement).getByText("Revoked")).toBeInTheDocument());
    expect(screen.queryByRole("button", { name: "Revoke deploy script" })).not.toBeInTheDocument();
  });

  it("is not offered to an operator", () => {
    renderPage(<TokensRoute />, { path: "/tokens", me: aUser("operator") });

    expect(screen.getByText("Only administrators manage API tokens")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New token" })).not.toBeInTheDocument();
  });
});
