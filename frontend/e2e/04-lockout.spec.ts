// Five wrong passwords for one username lock it out, and the login page says so.
// Runs last: a lockout must not get in the way of the other specs' sign-in.

import { expect, runId, test } from "./support";

test("five wrong passwords lock the username out with a clear message", async ({ page }) => {
  const username = `lockout-${runId()}`;
  await page.goto("/login");
  let locked = false;
  for (let attempt = 1; attempt <= 6 && !locked; attempt += 1) {
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(`wrong-password-${attempt}`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/api/auth/login/") && r.request().method() === "POST"),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    locked = response.status() === 429;
    if (!locked) {
      expect(response.status()).toBe(401);
      await expect(page.getByRole("alert")).toBeVisible();
      await expect(page.getByText("Account temporarily locked")).toHaveCount(0);
    }
  }
  expect(locked, "the login should be locked within 6 attempts").toBe(true);
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Account temporarily locked");
  await expect(alert).toContainText(/lock/i);
});
