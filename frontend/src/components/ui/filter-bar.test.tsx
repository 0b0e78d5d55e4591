import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { FilterBar, FilterSelect } from "./filter-bar";

const colours = [
  { value: "r", label: "Red" },
  { value: "g", label: "Green" },
];

describe("filter bar", () => {
  it("offers to clear the filters only while one is set, and says how many", async () => {
    const user = userEvent.setup();
    const cleared: string[] = [];
    const onChange = (value: string) => cleared.push(`set ${value}`);
    const bar = (active: number) => (
      <FilterBar label="Filter widgets" activeCount={active} onClear={() => cleared.push("cleared")} foldOnPhones={false}>
        <FilterSelect label="Colour" value={active ? "g" : undefined} onChange={onChange} anyLabel="Any colour" choices={colours} />
      </FilterBar>
    );
    const { rerender } = render(bar(0));
    const search = screen.getByRole("search", { name: "Filter widgets" });
    expect(screen.queryByRole("button", { name: /Clear filters/ })).not.toBeInTheDocument();
    // Kept open on phones: no Filters button folds it.
    expect(screen.queryByRole("button", { name: /Filters/ })).not.toBeInTheDocument();
    await user.selectOptions(screen.getByRole("combobox", { name: "Colour" }), "Red");

    rerender(bar(1));
    expect(screen.getByRole("combobox", { name: "Colour" })).toHaveValue("g");
    await user.click(screen.getByRole("button", { name: "Clear filters (1)" }));
    expect(cleared).toEqual(["set r", "cleared"]);
    expect(search).toBeInTheDocument();
  });

  it("keeps the clear button below the fields, disabled while no filter is set, beside its actions", () => {
    render(
      <FilterBar label="Filter widgets" activeCount={0} onClear={() => undefined} clear="footer" actions={<button type="button">Export</button>}>
        <FilterSelect label="Colour" value={undefined} onChange={() => undefined} anyLabel="Any colour" choices={colours} />
      </FilterBar>,
    );
    expect(screen.getByRole("button", { name: "Clear filters" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Export" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Filters" })).toHaveAttribute("aria-expanded", "false");
  });
});
