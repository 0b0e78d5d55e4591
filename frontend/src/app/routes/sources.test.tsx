import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aSource, aUser, SCHEMES } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { answerGet, apiError, page, renderPage } from "@/testing/test-utils";
import type { Source, SourceInput } from "@/types/api";

import { SourcesRoute } from "./sources";

/** A tiny in-memory sources API. */
function sourcesApi(initial: Source[]) {
  const sources = [...initial];
  const created: SourceInput[] = [];
  let listCalls = 0;
  answerGet("/api/schemes/", { results: SCHEMES });
  server.use(
    http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })),
    http.get("*/api/sources/", () => {
      listCalls += 1;
      return HttpResponse.json(page(sources));
    }),
    http.post("*/api/sources/", async ({ request }) => {
      const input = (await request.json()) as SourceInput;
      created.push(input);
      if (input.name === "") {
        const blank = ["This field may not be blank."];
        return apiError(400, "validation_error", "Invalid input.", { name: blank, ...(input.slug === "" ? { slug: blank } : {}) });
      }
      const source = aSource({ id: sources.length + 10, name: input.name, slug: input.slug ?? "new-slug" });
      sources.push(source);
      return HttpResponse.json({ ...source, secret: "whsec_generated_once" }, { status: 201 });
    }),
  );
  return { listCalls: () => listCalls, created };
}

async function openNewSourceForm(user: ReturnType<typeof renderPage>["user"]) {
  await user.click(screen.getAllByRole("button", { name: "New source" })[0] as HTMLElement);
  const form = await screen.findByRole("dialog", { name: "New source" });
  const scheme = within(form).getByRole("combobox", { name: "Verification scheme" });
  await waitFor(() => expect(scheme).toBeEnabled());
  return { form, scheme };
}

describe("sources page", () => {
  it("shows a fixed mask for a secret too short for a hint, never a bare ellipsis", async () => {
    sourcesApi([aSource({ id: 1, name: "Short", secret_set: true, secret_last4: "" })]);
    renderPage(<SourcesRoute />, { path: "/sources" });

    expect(await screen.findByText("secret •••••••• (short: no characters shown)")).toBeInTheDocument();
    expect(screen.queryByText("secret …")).not.toBeInTheDocument();
  });

  it("refreshes the list after a source is created, and shows its generated secret once", async () => {
    const api = sourcesApi([aSource({ id: 1, name: "GitHub" })]);
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });
    expect(await screen.findByText("GitHub")).toBeInTheDocument();
    const callsBefore = api.listCalls();

    await user.click(screen.getByRole("button", { name: "New source" }));
    const form = await screen.findByRole("dialog", { name: "New source" });
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "Shop");
    await user.type(within(form).getByRole("textbox", { name: "Slug" }), "shop");
    await waitFor(() => expect(within(form).getByRole("combobox", { name: "Verification scheme" })).toBeEnabled());
    await user.selectOptions(within(form).getByRole("combobox", { name: "Verification scheme" }), "github");
    await user.click(within(form).getByRole("button", { name: "Create source" }));

    const reveal = await screen.findByRole("dialog", { name: "Secret for Shop" });
    expect(within(reveal).getByText("whsec_generated_once")).toBeInTheDocument();
    expect(await screen.findByText("Shop")).toBeInTheDocument();
    expect(api.listCalls()).toBeGreaterThan(callsBefore);

    await user.click(within(reveal).getByRole("button", { name: "I have saved it" }));
    expect(screen.queryByText("whsec_generated_once")).not.toBeInTheDocument();
  });

  it("shows a validation error on the field it belongs to", async () => {
    sourcesApi([]);
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });
    expect(await screen.findByText("No sources yet")).toBeInTheDocument();

    const { form, scheme } = await openNewSourceForm(user);
    await user.selectOptions(scheme, "github");
    await user.click(within(form).getByRole("button", { name: "Create source" }));

    const name = within(form).getByRole("textbox", { name: "Name" });
    await waitFor(() => expect(name).toHaveAttribute("aria-invalid", "true"));
    expect(name).toHaveAccessibleDescription("This field may not be blank.");
  });

  it("drops a field's error as soon as the field is edited, and the slug follows the name", async () => {
    sourcesApi([]);
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });
    expect(await screen.findByText("No sources yet")).toBeInTheDocument();

    const { form, scheme } = await openNewSourceForm(user);
    await user.selectOptions(scheme, "github");
    await user.click(within(form).getByRole("button", { name: "Create source" }));
    const name = within(form).getByRole("textbox", { name: "Name" });
    await waitFor(() => expect(name).toHaveAttribute("aria-invalid", "true"));

    await user.type(name, "My GitHub App");
    expect(name).not.toHaveAttribute("aria-invalid");
    expect(within(form).getByRole("textbox", { name: "Slug" })).toHaveValue("my-github-app");
  });

  it("drops the error under a field the form fills in itself (the slug that follows the name)", async () => {
    sourcesApi([]);
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });
    expect(await screen.findByText("No sources yet")).toBeInTheDocument();

    const { form, scheme } = await openNewSourceForm(user);
    await user.selectOptions(scheme, "github");
    await user.click(within(form).getByRole("button", { name: "Create source" }));
    const slug = within(form).getByRole("textbox", { name: "Slug" });
    await waitFor(() => expect(slug).toHaveAccessibleDescription(/This field may not be blank\./));

    await user.type(within(form).getByRole("textbox", { name: "Name" }), "Shop");

    expect(slug).toHaveValue("shop");
    expect(slug).not.toHaveAttribute("aria-invalid");
    expect(within(form).queryByText("This field may not be blank.")).not.toBeInTheDocument();
  });

  it("opens an existing source with its scheme chosen once the schemes arrive", async () => {
    sourcesApi([aSource()]);
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });

    await user.click(await screen.findByRole("button", { name: "Edit GitHub" }));
    const form = await screen.findByRole("dialog", { name: "Edit GitHub" });
    const scheme = within(form).getByRole("combobox", { name: "Verification scheme" });
    await waitFor(() => expect(scheme).toBeEnabled());
    expect(scheme).toHaveValue("github");
    expect(within(form).getByRole("textbox", { name: "Slug" })).toHaveValue("github");
  });

  it("offers the relaycore listen command of each source", async () => {
    sourcesApi([aSource()]);
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });

    await user.click(await screen.findByText("Replay to your machine"));

    const command = await screen.findByText(/^relaycore listen /);
    expect(command).toHaveTextContent("--source github --forward http://localhost:3000/hooks");
    expect(screen.getByRole("button", { name: "Copy listen command of GitHub" })).toBeInTheDocument();
  });

  it("shows the fields the chosen scheme needs", async () => {
    sourcesApi([]);
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });
    await screen.findByText("No sources yet");

    await user.click(screen.getAllByRole("button", { name: "New source" })[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New source" });
    const scheme = within(form).getByRole("combobox", { name: "Verification scheme" });
    await waitFor(() => expect(scheme).toBeEnabled());
    await user.selectOptions(scheme, "hmac_sha256");

    expect(within(form).getByRole("group", { name: "HMAC-SHA256 (hex) options" })).toBeInTheDocument();
    expect(within(form).getByRole("textbox", { name: "Header" })).toBeInTheDocument();
  });

  it("has no scheme chosen at first, and refuses to create a source until one is", async () => {
    const api = sourcesApi([]);
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });
    await screen.findByText("No sources yet");

    const { form, scheme } = await openNewSourceForm(user);
    expect(scheme).toHaveValue("");
    expect(within(scheme).getByRole("option", { name: "Choose how requests are verified" })).toBeInTheDocument();
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "Shop");
    await user.click(within(form).getByRole("button", { name: "Create source" }));

    await waitFor(() => expect(scheme).toHaveAttribute("aria-invalid", "true"));
    expect(scheme).toHaveAccessibleDescription("Choose how requests are verified.");
    expect(api.created).toEqual([]);

    await user.selectOptions(scheme, "github");
    await user.click(within(form).getByRole("button", { name: "Create source" }));
    await screen.findByRole("dialog", { name: "Secret for Shop" });
    expect(api.created[0]?.verification_scheme).toBe("github");
  });

  it("warns that a source without verification accepts anything", async () => {
    sourcesApi([]);
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });
    await screen.findByText("No sources yet");

    const { form, scheme } = await openNewSourceForm(user);
    expect(within(form).queryByText(/anyone who knows the URL/)).not.toBeInTheDocument();
    await user.selectOptions(scheme, "none");

    expect(within(form).getByRole("alert")).toHaveTextContent("No verification: anyone who knows the URL can send events.");
  });

  it("offers body deduplication for a body-signed scheme, on by default, and sends the choice", async () => {
    const api = sourcesApi([]);
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });
    await screen.findByText("No sources yet");

    const { form, scheme } = await openNewSourceForm(user);
    await user.selectOptions(scheme, "none");
    expect(within(form).queryByRole("checkbox", { name: "Treat a repeated body as a duplicate" })).not.toBeInTheDocument();
    await user.selectOptions(scheme, "github");
    const dedupe = within(form).getByRole("checkbox", { name: "Treat a repeated body as a duplicate" });
    expect(dedupe).toBeChecked();
    await user.click(dedupe);
    await user.type(within(form).getByRole("textbox", { name: "Name" }), "Hub");
    await user.click(within(form).getByRole("button", { name: "Create source" }));

    await screen.findByRole("dialog", { name: "Secret for Hub" });
    expect(api.created[0]?.dedupe_by_body).toBe(false);
  });

  it("shows the server's warnings about a source in the list", async () => {
    sourcesApi([aSource({ verification_scheme: "none", warnings: ["This source accepts unsigned requests."] })]);
    renderPage(<SourcesRoute />, { path: "/sources" });

    expect(await screen.findByText("This source accepts unsigned requests.")).toBeInTheDocument();
    expect(screen.getByText("Unverified")).toBeInTheDocument();
  });

  it("offers a viewer no way to create, edit, rotate or delete", async () => {
    sourcesApi([aSource({ name: "GitHub" })]);
    renderPage(<SourcesRoute />, { path: "/sources", me: aUser("viewer") });

    expect(await screen.findByText("GitHub")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New source" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit GitHub" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Rotate secret of GitHub" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Delete GitHub" })).not.toBeInTheDocument();
  });

  it("says before deleting that the URL answers 404, how many routes go, and that history stays", async () => {
    sourcesApi([aSource({ id: 1, name: "GitHub" })]);
    const routeQueries: URL[] = [];
    server.use(
      http.get("*/api/routes/", ({ request }) => {
        routeQueries.push(new URL(request.url));
        return HttpResponse.json({ count: 3, next: null, previous: null, results: [] });
      }),
    );
    const { user } = renderPage(<SourcesRoute />, { path: "/sources" });

    await user.click(await screen.findByRole("button", { name: "Delete GitHub" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete GitHub?" });

    await waitFor(() => expect(dialog).toHaveTextContent("its 3 routes are deleted"));
    expect(dialog).toHaveTextContent("stops accepting events (404)");
    expect(dialog).toHaveTextContent("events already received, their outcomes and attempts stay readable");
    expect(routeQueries[0]?.searchParams.get("source")).toBe("1");
  });
});
