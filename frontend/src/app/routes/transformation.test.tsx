import { EditorView } from "@codemirror/view";
import { act, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { STARTER_CODE } from "@/features/transformations/starter";
import { aDelivery, aSource, aTransformation, aUser } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { answerGet, apiError, page, renderPage } from "@/testing/test-utils";
import type { Transformation, TransformationRunInput, TransformationRunResult, User } from "@/types/api";

import TransformationRoute from "./transformation";

/** The code editor's text, and a way to replace it as typing would (CodeMirror owns the DOM). */
function codeBox(): HTMLElement {
  return screen.getByRole("textbox", { name: "Code" });
}

function replaceCode(code: string) {
  const view = EditorView.findFromDOM(codeBox());
  if (!view) throw new Error("no editor");
  act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code }, userEvent: "input.type" }));
}

const RESULT: TransformationRunResult = {
  output: { body: { text: "push to acme/api" }, headers: { "X-Shaped-By": "relaycore" } },
  skipped: false,
  logs: ["shaping push from github"],
  duration_ms: 0.84,
  error: null,
};

/** The API the page reads, with the bodies of saves and runs kept. */
function transformationsApi({ stored = aTransformation(), run = () => HttpResponse.json(RESULT) }: { stored?: Transformation; run?: () => Response } = {}) {
  const saved: unknown[] = [];
  const runs: TransformationRunInput[] = [];
  const deliveryUrls = answerGet("/api/deliveries/", page([aDelivery({ id: 7 }), aDelivery({ id: 8, event_type: "ping" })]));
  answerGet("/api/sources/", page([aSource()]));
  server.use(
    http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
    http.get("*/api/transformations/:id/", () => HttpResponse.json(stored)),
    http.post("*/api/transformations/run/", async ({ request }) => {
      runs.push((await request.json()) as TransformationRunInput);
      return run();
    }),
    http.post("*/api/transformations/", async ({ request }) => {
      const body = (await request.json()) as Partial<Transformation>;
      saved.push(body);
      return HttpResponse.json(aTransformation({ ...body, id: 11, version: 1, routes: [] }), { status: 201 });
    }),
    http.patch("*/api/transformations/:id/", async ({ request }) => {
      const body = (await request.json()) as Partial<Transformation>;
      saved.push(body);
      return HttpResponse.json({ ...stored, ...body, version: stored.version + 1 });
    }),
  );
  return { saved, runs, deliveryUrls };
}

function renderEditor(url: string, me?: User) {
  const path = url === "/transformations/new" ? url : "/transformations/:id";
  return renderPage(<TransformationRoute />, {
    path,
    url,
    me,
    extraRoutes: [{ path: "/transformations/:id", element: <TransformationRoute /> }],
  });
}

describe("transformation editor", () => {
  it("creates a transformation from the starter template and opens it", async () => {
    const { saved } = transformationsApi();
    const { user, router } = renderEditor("/transformations/new");

    expect(await screen.findByRole("heading", { level: 1, name: "New transformation" })).toBeInTheDocument();
    expect(codeBox()).toHaveTextContent("function transform(event)");
    await user.click(screen.getByRole("button", { name: "Create transformation" }));
    expect(await screen.findByRole("textbox", { name: "Name" })).toHaveAccessibleDescription("Give the transformation a name");

    await user.type(screen.getByRole("textbox", { name: "Name" }), "push to Teams");
    await user.click(screen.getByRole("button", { name: "Create transformation" }));

    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual({ name: "push to Teams", description: "", code: STARTER_CODE });
    await waitFor(() => expect(router.state.location.pathname).toBe("/transformations/11"));
    expect(await screen.findByText(/saved \(v1\)/)).toBeInTheDocument();
  });

  it("runs the unsaved code against a sample event and shows the output, the console and the time", async () => {
    const { runs } = transformationsApi();
    const { user } = renderEditor("/transformations/3");
    await screen.findByRole("heading", { level: 1, name: "push to Teams" });
    await waitFor(() => expect(codeBox()).toHaveTextContent("event.body.ref"));

    replaceCode('function transform(event) { console.log("shaping"); return { text: "hi" }; }');
    expect(await screen.findByText("Unsaved changes")).toBeInTheDocument();
    const sample = screen.getByRole("textbox", { name: "Sample event (JSON)" });
    await user.clear(sample);
    await user.paste('{"body": {"ref": "main"}, "headers": {}, "event_type": "push", "source": "github", "received_at": "2024-05-01T10:00:00Z"}');
    await user.click(screen.getByRole("button", { name: "Run" }));

    const result = await screen.findByRole("region", { name: "Run result" });
    expect(runs).toEqual([
      {
        code: 'function transform(event) { console.log("shaping"); return { text: "hi" }; }',
        event: { body: { ref: "main" }, headers: {}, event_type: "push", source: "github", received_at: "2024-05-01T10:00:00Z" },
      },
    ]);
    expect(within(result).getByText(/"push to acme\/api"/)).toBeInTheDocument();
    expect(within(result).getByRole("list", { name: "Console output" })).toHaveTextContent("shaping push from github");
    expect(within(result).getByText("took 0.84 ms")).toBeInTheDocument();
  });

  it("shows the error a run answers, and says a null result skips the route", async () => {
    let answer: TransformationRunResult = { output: null, skipped: false, logs: [], duration_ms: 100.2, error: "Timed out after 100 ms" };
    transformationsApi({ run: () => HttpResponse.json(answer) });
    const { user } = renderEditor("/transformations/3");
    await screen.findByRole("heading", { level: 1, name: "push to Teams" });

    await user.click(screen.getByRole("button", { name: "Run" }));
    const result = await screen.findByRole("region", { name: "Run result" });
    expect(within(result).getByRole("alert")).toHaveTextContent("Error: Timed out after 100 ms");
    expect(within(result).getByText("No console output.")).toBeInTheDocument();

    answer = { output: null, skipped: true, logs: ["ping: skipped"], duration_ms: 0.1, error: null };
    await user.click(screen.getByRole("button", { name: "Run" }));
    expect(await screen.findByText("Skipped")).toBeInTheDocument();
    const skipped = screen.getByRole("region", { name: "Run result" });
    expect(within(skipped).getByText(/would not deliver this event/)).toBeInTheDocument();
    expect(within(skipped).getByRole("list", { name: "Console output" })).toHaveTextContent("ping: skipped");
    expect(within(skipped).queryByRole("alert")).not.toBeInTheDocument();
  });

  it("runs against a stored event picked from the recent events of a source", async () => {
    const { runs, deliveryUrls } = transformationsApi();
    const { user } = renderEditor("/transformations/3");
    await screen.findByRole("heading", { level: 1, name: "push to Teams" });

    await user.click(screen.getByRole("radio", { name: "A stored event" }));
    await user.click(screen.getByRole("button", { name: "Run" }));
    expect(screen.getByRole("textbox", { name: "Event id" })).toHaveAccessibleDescription("Enter an event id (a whole number)");
    expect(runs).toHaveLength(0);

    const source = screen.getByRole("combobox", { name: "Recent events of" });
    await waitFor(() => expect(source).toBeEnabled());
    await user.selectOptions(source, "1");
    await waitFor(() => expect(deliveryUrls.some((url) => url.searchParams.get("source") === "1")).toBe(true));
    const recent = screen.getByRole("combobox", { name: "Recent event" });
    await waitFor(() => expect(recent).toBeEnabled());
    await user.selectOptions(recent, "8");
    expect(screen.getByRole("textbox", { name: "Event id" })).toHaveValue("8");
    await user.click(screen.getByRole("button", { name: "Run" }));

    await screen.findByRole("region", { name: "Run result" });
    expect(runs).toEqual([{ code: aTransformation().code, event_id: 8 }]);
  });

  it("runs a stored event by the id typed, and shows a refusal of the run", async () => {
    const { runs } = transformationsApi({ run: () => apiError(404, "not_found", "Event 99 does not exist.") });
    const { user } = renderEditor("/transformations/3");
    await screen.findByRole("heading", { level: 1, name: "push to Teams" });

    await user.click(screen.getByRole("radio", { name: "A stored event" }));
    await user.type(screen.getByRole("textbox", { name: "Event id" }), "99");
    await user.click(screen.getByRole("button", { name: "Run" }));

    expect(await screen.findByText("Event 99 does not exist.")).toBeInTheDocument();
    expect(runs).toEqual([{ code: aTransformation().code, event_id: 99 }]);
  });

  it("saves the edited code and shows the server's complaint about it under the editor", async () => {
    transformationsApi();
    server.use(
      http.patch("*/api/transformations/:id/", () =>
        apiError(400, "validation_error", "Invalid input.", { code: ["SyntaxError: Unexpected token '}' (line 1)"] }),
      ),
    );
    const { user } = renderEditor("/transformations/3");
    await screen.findByRole("heading", { level: 1, name: "push to Teams" });

    replaceCode("function transform(event) { return }}");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(codeBox()).toHaveAccessibleDescription("SyntaxError: Unexpected token '}' (line 1)"));
  });

  it("shows a viewer the code without a way to save or run it", async () => {
    transformationsApi();
    renderEditor("/transformations/3", aUser("viewer"));
    await screen.findByRole("heading", { level: 1, name: "push to Teams" });

    expect(codeBox()).toHaveAttribute("aria-readonly", "true");
    expect(codeBox()).toHaveAttribute("contenteditable", "false");
    expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Run" })).not.toBeInTheDocument();
  });

  it("lets an operator run the code but not save it", async () => {
    transformationsApi();
    renderEditor("/transformations/3", aUser("operator"));
    await screen.findByRole("heading", { level: 1, name: "push to Teams" });

    expect(screen.getByRole("button", { name: "Run" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument();
  });
});
