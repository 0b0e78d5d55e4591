import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";

import { FALLBACK_OPERATORS } from "../api/routes";
import { emptyRow, rowFromCondition, rowToCondition, type ConditionItem } from "../conditions";
import { ConditionBuilder } from "./condition-builder";

/** The builder as the route form holds it, with the payload it would send shown below. */
function Harness({ initial = [emptyRow()], serverErrors }: { initial?: ConditionItem[]; serverErrors?: string[] }) {
  const [rows, setRows] = useState(initial);
  return (
    <>
      <ConditionBuilder rows={rows} operators={FALLBACK_OPERATORS} onChange={setRows} serverErrors={serverErrors} />
      <output aria-label="Payload">{JSON.stringify(rows.map(rowToCondition))}</output>
    </>
  );
}

const payload = () => JSON.parse(screen.getByRole("status", { name: "Payload" }).textContent ?? "null") as unknown;

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

describe("condition groups", () => {
  it("nests a “not” group in an “any of” group and sends the shape the API expects", async () => {
    const user = userEvent.setup();
    render(<Harness initial={[]} />);

    await user.click(screen.getByRole("button", { name: "Add “any of” group" }));
    const group = screen.getByRole("listitem", { name: "Group 1" });
    await user.type(within(group).getByRole("textbox", { name: "Condition 1.1 path" }), "ref");
    await user.type(within(group).getByRole("textbox", { name: "Condition 1.1 value" }), "refs/heads/main");
    await user.click(within(group).getByRole("button", { name: "Add “not” group to group 1" }));

    const not = screen.getByRole("listitem", { name: "Group 1.2" });
    // A "not" holds one item: it offers no second one.
    expect(within(not).queryByRole("button", { name: "Add condition to group 1.2" })).not.toBeInTheDocument();
    await user.selectOptions(within(not).getByRole("combobox", { name: "Condition 1.2.1 reads" }), "header");
    await user.type(within(not).getByRole("textbox", { name: "Condition 1.2.1 header name" }), "X-GitHub-Event");
    await user.selectOptions(within(not).getByRole("combobox", { name: "Condition 1.2.1 operator" }), "starts_with");
    await user.type(within(not).getByRole("textbox", { name: "Condition 1.2.1 value" }), "ping");

    expect(payload()).toEqual([
      {
        any: [
          { path: "$.ref", op: "equals", value: "refs/heads/main" },
          { not: { path: "headers.X-GitHub-Event", op: "starts_with", value: "ping" } },
        ],
      },
    ]);
  });

  it("switches a group's kind and removes a group with everything in it", async () => {
    const user = userEvent.setup();
    render(<Harness initial={[rowFromCondition({ path: "$.a", op: "exists" }), rowFromCondition({ all: [{ path: "query.tenant", op: "equals", value: "acme" }] })]} />);

    await user.selectOptions(screen.getByRole("combobox", { name: "Group 2 kind" }), "any");
    expect(payload()).toEqual([{ path: "$.a", op: "exists" }, { any: [{ path: "query.tenant", op: "equals", value: "acme" }] }]);
    expect(screen.getByRole("textbox", { name: "Condition 2.1 query parameter" })).toHaveValue("tenant");

    await user.click(screen.getByRole("button", { name: "Remove group 2" }));
    expect(payload()).toEqual([{ path: "$.a", op: "exists" }]);
  });

  it("says an emptied group needs a condition", async () => {
    const user = userEvent.setup();
    render(<Harness initial={[]} />);
    await user.click(screen.getByRole("button", { name: "Add “all of” group" }));
    await user.click(screen.getByRole("button", { name: "Remove condition 1.1" }));

    expect(screen.getByRole("listitem", { name: "Group 1" })).toHaveAccessibleDescription(/needs at least one condition/);
  });

  it("takes headers.<name> typed as free text in the body box as a header condition", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const path = screen.getByRole("textbox", { name: "Condition 1 path" });
    await user.clear(path);
    await user.type(path, "headers.x");

    expect(screen.getByRole("combobox", { name: "Condition 1 reads" })).toHaveValue("header");
    expect(screen.getByRole("textbox", { name: "Condition 1 header name" })).toHaveValue("x");
  });

  it("shows the server's complaint on the nested row whose place it names", () => {
    const rows = [
      rowFromCondition({ path: "$.a", op: "equals", value: 1 }),
      rowFromCondition({ any: [{ path: "$.b", op: "equals", value: 2 }, { path: "headers.x", op: "sounds_like", value: "y" }] }),
    ];
    render(<Harness initial={rows} serverErrors={["conditions[1].any[1]: unknown operator 'sounds_like'", "conditions[1].all[0]: gone"]} />);

    const group = screen.getByRole("listitem", { name: "Group 2" });
    const rowsInGroup = within(group).getAllByRole("listitem");
    expect(within(rowsInGroup[1] as HTMLElement).getByRole("alert")).toHaveTextContent("unknown operator");
    expect(within(rowsInGroup[0] as HTMLElement).queryByRole("alert")).not.toBeInTheDocument();
    // A place that no longer exists lands on the nearest one that does.
    expect(within(group).getAllByRole("alert")[0]).toHaveTextContent("gone");
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
      { any: [{ path: "headers.x-kind", op: "ends_with", value: "-release" }, { not: { all: [{ path: "query.a", op: "exists" }] } }] },
    ];
    expect(conditions.map((c) => rowToCondition(rowFromCondition(c)))).toEqual(conditions);
  });
});
