import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";

import { FALLBACK_OPERATORS } from "../api/routes";
import { emptyRow, rowFromCondition, rowToCondition, type ConditionRow } from "../conditions";
import { ConditionBuilder } from "./condition-builder";

function Harness({ initial = [emptyRow()], serverErrors }: { initial?: ConditionRow[]; serverErrors?: string[] }) {
  const [rows, setRows] = useState(initial);
  return <ConditionBuilder rows={rows} operators={FALLBACK_OPERATORS} onChange={setRows} serverErrors={serverErrors} />;
}

describe("condition builder", () => {
  it("says a path must start with $ as soon as it is typed", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const path = screen.getByRole("textbox", { name: "Condition 1 path" });

    await user.clear(path);
    await user.type(path, "ref");

    expect(path).toHaveAttribute("aria-invalid", "true");
    expect(path).toHaveAccessibleDescription(/must start with \$/);

    await user.clear(path);
    await user.type(path, "$.ref");
    expect(path).not.toHaveAttribute("aria-invalid");
  });

  it("wants a JSON list for in and not_in", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.selectOptions(screen.getByRole("combobox", { name: "Condition 1 operator" }), "in");
    const value = screen.getByRole("textbox", { name: "Condition 1 value" });

    await user.type(value, "main");
    expect(value).toHaveAccessibleDescription(/needs a JSON list/);

    await user.clear(value);
    await user.paste('["main", "develop"]');
    expect(value).not.toHaveAttribute("aria-invalid");
  });

  it("wants a number for gt, gte, lt and lte", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.selectOptions(screen.getByRole("combobox", { name: "Condition 1 operator" }), "gt");
    const value = screen.getByRole("textbox", { name: "Condition 1 value" });

    await user.type(value, "many");
    expect(value).toHaveAccessibleDescription(/needs a number/);

    await user.clear(value);
    await user.type(value, "2.5");
    expect(value).not.toHaveAttribute("aria-invalid");
  });

  it("adds and removes rows", async () => {
    const user = userEvent.setup();
    render(<Harness initial={[]} />);
    expect(screen.getByText(/No conditions/)).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Add condition" }));
    await user.click(screen.getByRole("button", { name: "Add condition" }));
    expect(screen.getByRole("textbox", { name: "Condition 2 path" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Remove condition 1" }));
    expect(screen.queryByRole("textbox", { name: "Condition 2 path" })).not.toBeInTheDocument();
  });

  it("shows the server's complaint on the condition it names", () => {
    const rows = [rowFromCondition({ path: "$.a", op: "equals", value: 1 }), rowFromCondition({ path: "$.b[", op: "equals", value: 2 })];
    render(<Harness initial={rows} serverErrors={["condition 2 ($.b[): invalid JSONPath: unexpected end"]} />);

    const second = screen.getAllByRole("listitem")[1];
    expect(second).toBeDefined();
    expect(within(second as HTMLElement).getByRole("alert")).toHaveTextContent("invalid JSONPath");
  });
});

describe("condition values", () => {
  it("keep their JSON type through a round trip", () => {
    const conditions = [
      { path: "$.ref", op: "equals", value: "refs/heads/main" },
      { path: "$.id", op: "equals", value: "42" },
      { path: "$.count", op: "gt", value: 3 },
      { path: "$.tags", op: "in", value: ["a", "b"] },
      { path: "$.draft", op: "exists" },
      { path: "$.ok", op: "equals", value: true },
    ];
    expect(conditions.map((c) => rowToCondition(rowFromCondition(c)))).toEqual(conditions);
  });
});
