import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aDestination, aSource, aTransformation } from "@/testing/fixtures";
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
    paused: false,
    held_count: 0,
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-01T10:00:00Z",
    ...overrides,
  };
}

/** The server's checks of a draft: here, the JSONPath syntax of top-level conditions. */
function checkDraft(input: RouteInput): Record<string, string[]> {
  const messages = input.conditions.flatMap((condition, index) =>
    "path" in condition && condition.path.endsWith("[") ? [`condition ${index + 1} (${condition.path}): invalid JSONPath: unexpected end`] : [],
  );
  return messages.length ? { conditions: messages } : {};
}

/** The routes API and the pick-lists the form reads; the bodies of creates and updates are kept. */
function routesApi(routes: Route[], answer: (input: RouteInput) => Response | undefined = () => undefined) {
  const sent: RouteInput[] = [];
  const checked: RouteInput[] = [];
  answerGet("/api/sources/", page([aSource()]));
  answerGet("/api/destinations/", page([aDestination()]));
  answerGet("/api/transformers/", {
    results: [
      { name: "passthrough", description: "The payload as received." },
      { name: "github_to_slack", description: "A Slack message for a GitHub event." },
    ],
  });
  answerGet("/api/routes/operators/", { operators: ["equals", "exists"] });
  answerGet("/api/transformations/", page([aTransformation()]));
  const save = async ({ request }: { request: Request }) => {
    const input = (await request.json()) as RouteInput;
    sent.push(input);
    return answer(input) ?? HttpResponse.json(aRoute({ ...input, id: 9 }));
  };
  server.use(
    http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
    http.get("*/api/routes/", () => HttpResponse.json(page(routes))),
    http.post("*/api/routes/validate/", async ({ request }) => {
      const input = (await request.json()) as RouteInput;
      checked.push(input);
      const fields = checkDraft(input);
      const valid = Object.keys(fields).length === 0;
      return HttpResponse.json({ valid, message: valid ? "" : "conditions: invalid", field_errors: fields });
    }),
    http.post("*/api/routes/", save),
    http.patch("*/api/routes/:id/", save),
  );
  return { sent, checked };
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

  it("sends the ordering key and the dead-letter rule, and shows them when the route is opened again", async () => {
    const { sent } = routesApi([aRoute({ ordering_key: "$.repository.full_name", ordering_dead_letter_blocks: true })]);
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });

    await user.click(await screen.findByRole("button", { name: "Edit all pushes" }));
    const form = await screen.findByRole("dialog", { name: "Edit all pushes" });
    const key = within(form).getByRole("textbox", { name: /Ordering key/ });
    expect(key).toHaveValue("$.repository.full_name");
    const blocks = within(form).getByRole("checkbox", { name: /A dead letter blocks its key/ });
    expect(blocks).toBeChecked();
    await user.clear(key);
    await user.type(key, " headers.x-shopify-shop-domain ");
    await user.click(blocks);
    await user.click(within(form).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      ordering_key: "headers.x-shopify-shop-domain",
      ordering_dead_letter_blocks: false,
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

  it("sends a JavaScript transformation instead of a built-in transformer", async () => {
    const { sent } = routesApi([]);
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });
    await screen.findByText("No routes yet");

    await user.click(screen.getAllByRole("button", { name: "New route" })[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New route" });
    await waitFor(() => expect(within(form).getByRole("combobox", { name: "Source" })).toBeEnabled());
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "teams");
    await user.selectOptions(within(form).getByRole("combobox", { name: "Source" }), "1");
    await user.selectOptions(within(form).getByRole("combobox", { name: "Destination" }), "2");
    await user.click(within(form).getByRole("radio", { name: "JavaScript transformation" }));
    expect(within(form).queryByRole("combobox", { name: "Transformer" })).not.toBeInTheDocument();

    await user.click(within(form).getByRole("button", { name: "Create route" }));
    const picker = within(form).getByRole("combobox", { name: "Transformation" });
    await waitFor(() => expect(picker).toHaveAccessibleDescription("Choose a transformation"));
    expect(sent).toHaveLength(0);

    await user.selectOptions(picker, "push to Teams (v2)");
    await user.click(within(form).getByRole("button", { name: "Create route" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ transformation: 3 });
    expect(sent[0]).not.toHaveProperty("transformer");
  });

  it("clears the built-in transformer when an edited route switches to a transformation", async () => {
    const { sent } = routesApi([aRoute()]);
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });

    await user.click(await screen.findByRole("button", { name: "Edit all pushes" }));
    const form = await screen.findByRole("dialog", { name: "Edit all pushes" });
    await waitFor(() => expect(within(form).getByRole("combobox", { name: "Source" })).toHaveValue("1"));
    await user.click(within(form).getByRole("radio", { name: "JavaScript transformation" }));
    await user.selectOptions(within(form).getByRole("combobox", { name: "Transformation" }), "3");
    await user.click(within(form).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ transformation: 3, transformer: "" });
  });

  it("opens a route that uses a transformation with it chosen, and can go back to a built-in one", async () => {
    const { sent } = routesApi([aRoute({ transformer: "", transformation: 3 })]);
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });

    expect(await screen.findByRole("cell", { name: /JavaScript: push to Teams/ })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Edit all pushes" }));
    const form = await screen.findByRole("dialog", { name: "Edit all pushes" });
    expect(within(form).getByRole("radio", { name: "JavaScript transformation" })).toBeChecked();
    await waitFor(() => expect(within(form).getByRole("combobox", { name: "Transformation" })).toHaveValue("3"));

    await user.click(within(form).getByRole("radio", { name: "Built-in transformer" }));
    await user.selectOptions(within(form).getByRole("combobox", { name: "Transformer" }), "github_to_slack");
    await user.click(within(form).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ transformer: "github_to_slack", transformation: null });
  });

  it("shows the server's refusal of a grouped condition on the row it names, not above the form", async () => {
    const grouped = aRoute({
      conditions: [{ any: [{ path: "$.ref", op: "equals", value: "main" }, { path: "headers.x-kind", op: "equals", value: "a" }] }],
    });
    routesApi([grouped], () =>
      apiError(400, "validation_error", "Invalid input.", { "conditions[0].any[1]": ["unknown operator 'sounds_like'"] }),
    );
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });

    await user.click(await screen.findByRole("button", { name: "Edit all pushes" }));
    const form = await screen.findByRole("dialog", { name: "Edit all pushes" });
    expect(within(form).getByRole("textbox", { name: "Condition 1.2 header name" })).toHaveValue("x-kind");
    await user.click(within(form).getByRole("button", { name: "Save changes" }));

    const group = within(form).getByRole("listitem", { name: "Group 1" });
    const rows = within(group).getAllByRole("listitem");
    await waitFor(() => expect(within(rows[1] as HTMLElement).getByRole("alert")).toHaveTextContent("unknown operator 'sounds_like'"));
    expect(within(form).getAllByText(/sounds_like/)).toHaveLength(1);
  });

  it("shows the server's verdict on a malformed JSONPath as it is typed, before any save", async () => {
    const { sent, checked } = routesApi([aRoute()]);
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });

    await user.click(await screen.findByRole("button", { name: "Edit all pushes" }));
    const form = await screen.findByRole("dialog", { name: "Edit all pushes" });
    await user.click(within(form).getByRole("button", { name: "Add condition" }));
    const path = within(form).getByRole("textbox", { name: "Condition 1 path" });
    await user.type(path, "ref[["); // the new row's path starts as "$."
    await user.type(within(form).getByRole("textbox", { name: "Condition 1 value" }), "main");

    expect(await within(form).findByText(/invalid JSONPath/)).toBeInTheDocument();
    expect(sent).toHaveLength(0);
    // Debounced: one check for the settled draft, not one per keystroke.
    expect(checked.length).toBeLessThan(4);

    await user.type(path, "0]");
    await waitFor(() => expect(within(form).queryByText(/invalid JSONPath/)).not.toBeInTheDocument());
  }, 20_000);

  it("drops a saved condition's refusal once that condition is edited", async () => {
    routesApi([aRoute({ conditions: [{ path: "$.ref", op: "equals", value: "main" }] })], () =>
      apiError(400, "validation_error", "Invalid input.", { conditions: ["condition 1 ($.ref): refused by the server"] }),
    );
    const { user } = renderPage(<RoutesRoute />, { path: "/routes" });

    await user.click(await screen.findByRole("button", { name: "Edit all pushes" }));
    const form = await screen.findByRole("dialog", { name: "Edit all pushes" });
    await user.click(within(form).getByRole("button", { name: "Save changes" }));
    expect(await within(form).findByText(/refused by the server/)).toBeInTheDocument();

    await user.type(within(form).getByRole("textbox", { name: "Condition 1 path" }), "s");
    await waitFor(() => expect(within(form).queryByText(/refused by the server/)).not.toBeInTheDocument());
  });
});
