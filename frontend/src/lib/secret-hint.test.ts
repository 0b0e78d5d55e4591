import { describe, expect, it } from "vitest";

import { secretHint, SHORT_SECRET_MASK } from "./secret-hint";

describe("secretHint", () => {
  it("shows the last four characters the API gives", () => {
    expect(secretHint("f00d")).toBe("ends in …f00d");
  });

  it("shows a fixed mask, not a dangling ellipsis, for a secret too short for a hint", () => {
    expect(secretHint("")).toBe(`${SHORT_SECRET_MASK} (short: no characters shown)`);
    expect(secretHint("")).not.toContain("…");
  });
});
