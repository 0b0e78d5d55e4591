import { render, screen, within } from "@testing-library/react";

import { ChangeDiff } from "./change-diff";

describe("change diff", () => {
  it("shows a change of a transformation's code line by line", () => {
    const before = "function transform(event) {\n  return event.body;\n}";
    const after = 'function transform(event) {\n  console.log("hi");\n  return { body: event.body };\n}';
    render(<ChangeDiff changes={{ code: [before, after], version: [1, 2] }} />);

    const diff = screen.getByLabelText("Changes to code");
    const lines = Array.from(diff.children).map((line) => line.textContent);
    expect(lines).toEqual([
      "  function transform(event) {",
      "- removed:   return event.body;",
      '+ added:   console.log("hi");',
      "+ added:   return { body: event.body };",
      "  }",
    ]);
    // A one-line value keeps the compact before -> after form.
    expect(within(screen.getByText("version").parentElement as HTMLElement).getByText("2")).toBeInTheDocument();
  });
});
