import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aDestination, aSource } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { answerGet, apiError, page, renderPage } from "@/testing/test-utils";
import type { Route, RouteInput } from "@/types/api";

import { RoutesRoute } from "./routes";

function aRoute(overrides: Partial<Route> = {}): Route {
  return {
    id: 4,
    name: "all pushes",
    source: 1,
    source_slug: "github",
    destination: 2,
    destination_name: "Slack #dev",
    event_types: ["push"],
    conditions: [],
    transformer: "github_to_slack",
    transformer_options: {},
    priority: 100,
    rate_limit_per_minute: 0,
    is_active: true,
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-01T10:00:00Z",
    ...overrides,
  };
}

/** The routes API and the pick-lists the form reads; the bodies of creates and updates are kept. */
function routesApi(routes: Route[], answer: (input: RouteInput) => Response | undefined = () => undefined) {
  const sent: RouteInput[] = [];
  answerGet("/api/sources/", page([aSource()]));
  answerGet("/api/destinations/", page([aDestination()]));
  answerGet("/api/transformers/", {
    results: [
      { name: "passthrough", description: "The payload as received." },
      { name: "github_to_slack", description: "A Slack message for a GitHub event." },
    ],
  });
  answerGet("/api/routes/operators/", { operators: ["equals", "exists"] });
  const save = async ({ request }: { request: Request }) => {
    const input = (await request.json()) as RouteInput;
    sent.push(input);
    return answer(input) ?? HttpResponse.json(aRoute({ ...input, id: 9 }));
  };
  server.use(
    http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
    http.get("*/api/routes/", () => HttpResponse.json(page(routes))),
    http.post("*/api/routes/", save),
    http.patch("*/api/routes/:id/", save),
  );
  return { sent };
}

describe("routes page", () => {
  it("names what a new route lacks, and drops each message as soon as it is given", async () => {
    const { sent } = routesApi([]);
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });
    await screen.findByText("No routes yet");

    await user.click(screen.getAllByRole("button", { name: "New route" })[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New route" });
    await user.click(within(form).getByRole("button", { name: "Create route" }));

    const name = within(form).getByRole("textbox", { name: "Name" });
    const source = within(form).getByRole("combobox", { name: "Source" });
    await waitFor(() => expect(name).toHaveAccessibleDescription("Give the route a name"));
    expect(source).toHaveAccessibleDescription("Choose a source");
    expect(within(form).getByRole("combobox", { name: "Destination" })).toHaveAccessibleDescription(
      "Choose a destination",
    );

    await user.type(name, "pushes");
    expect(name).not.toHaveAttribute("aria-invalid");
    expect(source).toHaveAttribute("aria-invalid", "true");
    expect(sent).toHaveLength(0);
  });

  it("sends the route as filled in, trimmed and typed as the API expects", async () => {
    const { sent } = routesApi([]);
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });
    await screen.findByText("No routes yet");

    await user.click(screen.getAllByRole("button", { name: "New route" })[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New route" });
    const source = within(form).getByRole("combobox", { name: "Source" });
    await waitFor(() => expect(source).toBeEnabled());
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "  pushes ");
    await user.selectOptions(source, "1");
    await user.selectOptions(within(form).getByRole("combobox", { name: "Destination" }), "2");
    await user.type(within(form).getByRole("textbox", { name: /Event types/ }), "push");
    await user.clear(within(form).getByRole("spinbutton", { name: "Priority" }));
    await user.type(within(form).getByRole("spinbutton", { name: "Priority" }), "5");
    await user.click(within(form).getByRole("button", { name: "Create route" }));

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      name: "pushes",
      source: 1,
      destination: 2,
      event_types: ["push"],
      conditions: [],
      transformer: "passthrough",
      transformer_options: {},
      priority: 5,
      rate_limit_per_minute: 0,
      is_active: true,
    });
  });

  it("opens an existing route with its source, destination and transformer chosen", async () => {
    routesApi([aRoute()]);
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });

    await user.click(await screen.findByRole("button", { name: "Edit all pushes" }));
    const form = await screen.findByRole("dialog", { name: "Edit all pushes" });

    await waitFor(() => expect(within(form).getByRole("combobox", { name: "Source" })).toHaveValue("1"));
    expect(within(form).getByRole("combobox", { name: "Destination" })).toHaveValue("2");
    await waitFor(() => expect(within(form).getByRole("combobox", { name: "Transformer" })).toHaveValue("github_to_slack"));
  });

  it("puts the server's refusal on the field it names, until that field is edited", async () => {
    routesApi([aRoute()], () =>
      apiError(400, "validation_error", "Invalid input.", { priority: ["Ensure this value is less than 10000."] }),
    );
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });

    await user.click(await screen.findByRole("button", { name: "Edit all pushes" }));
    const form = await screen.findByRole("dialog", { name: "Edit all pushes" });
    const priority = within(form).getByRole("spinbutton", { name: "Priority" });
    await user.clear(priority);
    await user.type(priority, "99999");
    await user.click(within(form).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(priority).toHaveAccessibleDescription("Ensure this value is less than 10000."));
    await user.type(priority, "{Backspace}");
    expect(priority).not.toHaveAttribute("aria-invalid");
    expect(priority).toHaveAccessibleDescription("Orders the routes that match the same event.");
  });
});
