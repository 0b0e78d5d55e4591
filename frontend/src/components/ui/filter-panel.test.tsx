import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { FilterPanel } from "./filter-panel";

describe("filter panel", () => {
  it("folds its fields behind a Filters button that says how many are set", async () => {
    const user = userEvent.setup();
    render(
      <FilterPanel label="Filter widgets" activeCount={2}>
        <label>
          Colour <input />
        </label>
      </FilterPanel>,
    );

    const panel = screen.getByRole("search", { name: "Filter widgets" });
    const toggle = screen.getByRole("button", { name: "Filters 2 set" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    // Folded on phones by CSS only: the field stays in the page, with its value.
    expect(panel).toContainElement(screen.getByRole("textbox", { name: "Colour" }));

    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(document.getElementById(toggle.getAttribute("aria-controls") ?? "")).toContainElement(
      screen.getByRole("textbox", { name: "Colour" }),
    );
  });
});
