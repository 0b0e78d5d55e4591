// An admin makes an API token on the tokens page and revokes it; the audit log then
// lists both, by that admin, naming the token, its user and its role, with no part of
// the key shown on the page. Runs before 04-lockout, like every spec that signs in.

import { expect, runId, settings, signIn, test } from "./support";

test("making and revoking a token are in the audit log, without the key", async ({ page }) => {
  const name = `audit-${runId()}`;
  await signIn(page);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "New token" }).first().click();
  const form = page.getByRole("dialog", { name: "New API token" });
  await form.getByRole("textbox", { name: "Name" }).fill(name);
  await form.getByRole("button", { name: "Create token" }).click();

  const reveal = page.getByRole("dialog", { name: `Token ${name}` });
  const key = (await reveal.getByText(/^rc_/).textContent())?.trim() ?? "";
  expect(key).toMatch(/^rc_[a-z0-9]{8}_\S{20,}$/);
  await reveal.getByRole("button", { name: "I have saved it" }).click();

  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog", { name: `Revoke ${name}?` }).getByRole("button", { name: "Revoke token" }).click();
  const tokenRow = page.getByRole("table", { name: "API tokens" }).getByRole("row").filter({ hasText: name });
  await expect(tokenRow).toContainText("Revoked");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await page.getByRole("combobox", { name: "Object type" }).selectOption({ label: "API token" });
  await expect(page).toHaveURL(/object_type=apitoken/);

  const entries = page.getByRole("table", { name: "Audit log" }).getByRole("row").filter({ hasText: name });
  await expect(entries).toHaveCount(2);
  const [revoked, created] = [entries.nth(0), entries.nth(1)];
  for (const entry of [revoked, created]) {
    await expect(entry).toContainText(`${name} (${settings.username}, admin)`);
    await expect(entry).toContainText(settings.username);
    await expect(entry).toContainText("API token #");
  }
  await expect(created).toContainText("Create");
  await expect(created).toContainText("role");
  await expect(revoked).toContainText("Update");
  await expect(revoked).toContainText("revoked_at");

  // Nothing of the key: neither whole, nor its visible start, nor its secret part.
  const shown = (await page.locator("main").textContent()) ?? "";
  for (const part of [key, key.slice(0, 11), key.slice(12)]) {
    expect(shown).not.toContain(part);
  }
});
