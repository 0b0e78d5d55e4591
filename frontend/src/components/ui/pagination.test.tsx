import { render, screen } from "@testing-library/react";

import { Pagination } from "./pagination";

describe("pagination", () => {
  it("counts exactly below the API's cap", () => {
    render(<Pagination page={2} pageSize={25} count={60} onPage={() => {}} noun="events" />);

    expect(screen.getByText("26–50 of 60 events")).toBeInTheDocument();
    expect(screen.getByText(/Page 2 of 3/)).toBeInTheDocument();
  });

  it("says a capped count is a lower bound", () => {
    render(<Pagination page={1} pageSize={25} count={10000} capped onPage={() => {}} noun="events" />);

    expect(screen.getByText("1–25 of 10,000+ events")).toBeInTheDocument();
    expect(screen.getByText(/Page 1 of 400\+/)).toBeInTheDocument();
  });
});
