import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aSource, SCHEMES } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { answerGet, apiError, page, renderPage } from "@/testing/test-utils";
import type { Source, SourceInput } from "@/types/api";

import { SourcesRoute } from "./sources";

/** A tiny in-memory sources API. */
function sourcesApi(initial: Source[]) {
  const sources = [...initial];
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
      if (input.name === "") {
        return apiError(400, "validation_error", "Invalid input.", { name: ["This field may not be blank."] });
      }
      const created = aSource({ id: sources.length + 10, name: input.name, slug: input.slug ?? "new-slug" });
      sources.push(created);
      return HttpResponse.json({ ...created, secret: "whsec_generated_once" }, { status: 201 });
    }),
  );
  return { listCalls: () => listCalls };
}

describe("sources page", () => {
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

    await user.click(screen.getAllByRole("button", { name: "New source" })[0] as HTMLElement);
    const form = await screen.findByRole("dialog", { name: "New source" });
    await user.click(within(form).getByRole("button", { name: "Create source" }));

    const name = within(form).getByRole("textbox", { name: "Name" });
    await waitFor(() => expect(name).toHaveAttribute("aria-invalid", "true"));
    expect(name).toHaveAccessibleDescription("This field may not be blank.");
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
});
