import { screen, within } from "@testing-library/react";

import { aUser } from "@/testing/fixtures";
import { answerGet, page, renderPage } from "@/testing/test-utils";

import { AppRoot } from "./app-root";

describe("the signed-in frame", () => {
  beforeEach(() => {
    answerGet("/api/issues/", page([]));
  });

  it("shows how many issues are open beside Issues in the navigation", async () => {
    const seen = answerGet("/api/issues/", { count: 3, next: null, previous: null, results: [] });
    renderPage(<AppRoot />, { me: aUser("viewer") });

    const nav = screen.getAllByRole("navigation", { name: "Main" })[0] as HTMLElement;
    expect(await within(nav).findByRole("link", { name: "Issues: 3 open" })).toHaveAttribute("href", "/issues");
    expect(seen[0]?.searchParams.get("status")).toBe("open");
  });

  it("shows the user's role beside the username", () => {
    renderPage(<AppRoot />, { me: aUser("operator", { username: "olga" }) });

    const nav = screen.getAllByRole("complementary")[0] as HTMLElement;
    expect(within(nav).getByText("olga")).toBeInTheDocument();
    expect(within(nav).getByText("operator")).toBeInTheDocument();
  });

  it("lists API tokens for an admin only", () => {
    const { unmount } = renderPage(<AppRoot />, { me: aUser("admin") });
    expect(screen.getByRole("link", { name: "API tokens" })).toBeInTheDocument();
    unmount();

    renderPage(<AppRoot />, { me: aUser("operator") });
    expect(screen.getByRole("link", { name: "Deliveries" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Transformations" })).toHaveAttribute("href", "/transformations");
    expect(screen.queryByRole("link", { name: "API tokens" })).not.toBeInTheDocument();
  });

  it("lists the notifications and their channels for a viewer too", () => {
    renderPage(<AppRoot />, { me: aUser("viewer") });

    const nav = screen.getAllByRole("navigation", { name: "Main" })[0] as HTMLElement;
    expect(within(nav).getByRole("link", { name: "Notifications" })).toHaveAttribute("href", "/notifications");
    expect(within(nav).getByRole("link", { name: "Channels" })).toHaveAttribute("href", "/notifications/channels");
  });

  it("tells an account with no role to ask an administrator, instead of showing a dashboard", () => {
    renderPage(<AppRoot />, { me: aUser(null) });

    expect(screen.getByText("Your account has no role yet; ask an administrator")).toBeInTheDocument();
    expect(screen.queryByRole("navigation", { name: "Main" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeInTheDocument();
  });
});
