import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";

import { aTransformation, aUser } from "@/testing/fixtures";
import { server } from "@/testing/server";
import { apiError, page, renderPage } from "@/testing/test-utils";

import { TransformationsRoute } from "./transformations";

describe("transformations page", () => {
  beforeEach(() => {
    server.use(http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "t" })));
  });

  it("lists each transformation with its version and how many routes use it", async () => {
    server.use(
      http.get("*/api/transformations/", () =>
        HttpResponse.json(page([aTransformation(), aTransformation({ id: 5, name: "stripe row", version: 1, routes: [] })])),
      ),
    );
    renderPage(<TransformationsRoute />, { path: "/transformations" });

    const row = (await screen.findByRole("link", { name: "push to Teams" })).closest("tr") as HTMLElement;
    expect(within(row).getByText("v2")).toBeInTheDocument();
    expect(within(row).getByRole("cell", { name: "1" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "push to Teams" })).toHaveAttribute("href", "/transformations/3");
    const other = screen.getByRole("link", { name: "stripe row" }).closest("tr") as HTMLElement;
    expect(within(other).getByText("none")).toBeInTheDocument();
  });

  it("offers a viewer neither a new transformation nor a delete", async () => {
    server.use(http.get("*/api/transformations/", () => HttpResponse.json(page([aTransformation()]))));
    renderPage(<TransformationsRoute />, { path: "/transformations", me: aUser("viewer") });

    await screen.findByRole("link", { name: "push to Teams" });
    expect(screen.queryByRole("button", { name: "New transformation" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Delete push to Teams" })).not.toBeInTheDocument();
  });

  it("deletes after a confirmation that says the history stays", async () => {
    const deleted: string[] = [];
    server.use(
      http.get("*/api/transformations/", () => HttpResponse.json(page(deleted.length ? [] : [aTransformation()]))),
      http.delete("*/api/transformations/:id/", ({ params }) => {
        deleted.push(String(params.id));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderPage(<TransformationsRoute />, { path: "/transformations" });

    await user.click(await screen.findByRole("button", { name: "Delete push to Teams" }));
    const dialog = screen.getByRole("dialog", { name: "Delete push to Teams?" });
    expect(dialog).toHaveTextContent("1 route uses it");
    expect(dialog).toHaveTextContent("keep the version that shaped them");
    await user.click(within(dialog).getByRole("button", { name: "Delete transformation" }));

    await waitFor(() => expect(deleted).toEqual(["3"]));
    expect(await screen.findByText("Transformation “push to Teams” deleted.")).toBeInTheDocument();
    expect(await screen.findByText("No transformations yet")).toBeInTheDocument();
  });

  it("shows the server's refusal to delete a transformation in use, in the dialog", async () => {
    server.use(
      http.get("*/api/transformations/", () => HttpResponse.json(page([aTransformation()]))),
      http.delete("*/api/transformations/:id/", () =>
        apiError(409, "conflict", "1 route uses this transformation: all pushes."),
      ),
    );
    const { user } = renderPage(<TransformationsRoute />, { path: "/transformations" });

    await user.click(await screen.findByRole("button", { name: "Delete push to Teams" }));
    const dialog = screen.getByRole("dialog", { name: "Delete push to Teams?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete transformation" }));

    expect(await within(dialog).findByText("1 route uses this transformation: all pushes.")).toBeInTheDocument();
  });
});
