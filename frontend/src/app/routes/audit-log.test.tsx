import { screen, waitFor, within } from "@testing-library/react";

import { aUser } from "@/testing/fixtures";
import { answerGet, page, renderPage } from "@/testing/test-utils";
import type { AuditEntry } from "@/types/api";

import { AuditLogRoute } from "./audit-log";

function anEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 1,
    timestamp: "2026-12-01T10:00:00Z",
    actor: "alice",
    action: "create",
    object_type: "apitoken",
    object_id: "7",
    object_repr: "deploy (bob, operator)",
    changes: { name: ["None", "deploy"], user: ["None", "bob"], role: ["None", "operator"] },
    ...overrides,
  };
}

describe("audit log page", () => {
  it("names an API token's entries and shows who made it for whom, as which role", async () => {
    const revoked = anEntry({ id: 2, action: "update", changes: { revoked_at: ["None", "2026-12-01 11:00:00"] } });
    answerGet("/api/audit-log/", page([revoked, anEntry()]));
    renderPage(<AuditLogRoute />, { path: "/audit-log" });

    const rows = (await screen.findAllByText("deploy (bob, operator)")).map((cell) => cell.closest("tr") as HTMLElement);
    expect(rows).toHaveLength(2);
    const [update, create] = rows as [HTMLElement, HTMLElement];
    expect(create).toHaveTextContent("API token #7");
    expect(create).toHaveTextContent("alice");
    expect(within(create).getByText("role").parentElement).toHaveTextContent("operator");
    expect(within(update).getByText("revoked_at").parentElement).toHaveTextContent("2026-12-01 11:00:00");
  });

  it("offers admins the API token filter and sends it to the API", async () => {
    const seen = answerGet("/api/audit-log/", page([anEntry()]));
    const { user } = renderPage(<AuditLogRoute />, { path: "/audit-log" });
    await screen.findByText("API token #7");

    await user.selectOptions(screen.getByRole("combobox", { name: "Object type" }), "API token");

    await waitFor(() => expect(seen.at(-1)?.searchParams.get("object_type")).toBe("apitoken"));
    expect(screen.getByRole("option", { name: "Notification channel" })).toBeInTheDocument();
  });

  it("does not offer the API token filter to a viewer", async () => {
    answerGet("/api/audit-log/", page([anEntry({ object_type: "source", object_repr: "GitHub (gh)" })]));
    renderPage(<AuditLogRoute />, { path: "/audit-log", me: aUser("viewer") });
    await screen.findByText("Source #7");

    const types = within(screen.getByRole("combobox", { name: "Object type" })).getAllByRole("option");
    expect(types.map((option) => option.textContent)).toEqual([
      "All types",
      "Source",
      "Destination",
      "Route",
      "Transformation",
      "Notification channel",
    ]);
  });
});
