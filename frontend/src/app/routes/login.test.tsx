import { screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { server } from "@/testing/server";
import { apiError, renderPage } from "@/testing/test-utils";

import { LoginRoute } from "./login";

function signedOut() {
  server.use(
    http.get("*/api/auth/me/", () => apiError(401, "not_authenticated", "Authentication credentials were not provided.")),
    http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
  );
}

async function submit(user: ReturnType<typeof renderPage>["user"], username: string, password: string) {
  await user.type(await screen.findByLabelText("Username"), username);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("login page", () => {
  it("shows the server's message for a wrong password", async () => {
    signedOut();
    server.use(http.post("*/api/auth/login/", () => apiError(401, "authentication_failed", "Invalid username or password.")));
    const { user } = renderPage(<LoginRoute />, { path: "/login", me: null });

    await submit(user, "alice", "wrong");

    expect(await screen.findByRole("alert")).toHaveTextContent("Invalid username or password.");
  });

  it("explains a lockout after too many failures", async () => {
    signedOut();
    server.use(
      http.post("*/api/auth/login/", () =>
        apiError(429, "locked_out", "Too many failed login attempts for this account. It is locked for 1 hour."),
      ),
    );
    const { user } = renderPage(<LoginRoute />, { path: "/login", me: null });

    await submit(user, "alice", "wrong");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Account temporarily locked");
    expect(alert).toHaveTextContent("It is locked for 1 hour.");
  });

  it("goes to the page asked for once signed in", async () => {
    signedOut();
    server.use(http.post("*/api/auth/login/", () => HttpResponse.json({ id: 1, username: "alice", is_staff: true })));
    const { user, router } = renderPage(<LoginRoute />, { path: "/login", url: "/login?next=%2Fdeliveries%3Fstatus%3Drouted", me: null });

    await submit(user, "alice", "right");

    expect(await screen.findByText("Somewhere else")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/deliveries");
    expect(router.state.location.search).toBe("?status=routed");
  });
});
