// An admin creates a webhook notification channel pointing at the sink, sees its signing
// secret once, sends a test notification (the sink receives it; the dashboard says it was
// sent), and finds it on the notifications page with its JSON body. Runs after the
// delivery flow (so the sink answers 200 again) and before the screenshots, which then
// have a channel and a notification to show.

import { expect, runId, settings, signIn, test } from "./support";

test("a webhook channel shows its secret once and its test notification is listed", async ({ page }) => {
  const name = `ops-${runId()}`;
  await signIn(page);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Channels" }).click();
  await expect(page.getByRole("heading", { name: "Notification channels", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "New channel" }).first().click();
  const form = page.getByRole("dialog", { name: "New notification channel" });
  await form.getByRole("textbox", { name: "Name" }).fill(name);
  await expect(form.getByRole("combobox", { name: "Kind" })).toHaveValue("webhook");
  await form.getByRole("textbox", { name: "Webhook URL" }).fill(settings.sinkUrl);
  // The types come from the server; leaving them all unticked subscribes to every one.
  await expect(form.getByRole("checkbox", { name: "destination.failing" })).toBeVisible();
  await form.getByRole("button", { name: "Create channel" }).click();

  const reveal = page.getByRole("dialog", { name: `Signing secret for ${name}` });
  await expect(reveal).toContainText("cannot be shown again");
  const secret = (await reveal.getByText(/^whsec_/).textContent())?.trim() ?? "";
  expect(secret).toMatch(/^whsec_\S+$/);
  await expect(reveal.getByRole("button", { name: "Copy secret" })).toBeVisible();
  await reveal.getByRole("button", { name: "I have saved it" }).click();

  // Once closed, the secret is nowhere: not in the list, not after a reload.
  const row = page.getByRole("table", { name: "Notification channels" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Webhook");
  await expect(row).toContainText("All types");
  await page.reload();
  await expect(row).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);

  await row.getByRole("button", { name: `Send test notification to ${name}` }).click();
  const tested = page.getByRole("dialog", { name: `Send a test notification to ${name}` });
  await tested.getByRole("button", { name: "Send test notification" }).click();
  const result = tested.getByRole("region", { name: "Test result" });
  await expect(result).toContainText("Sent");
  await expect(result).toContainText("HTTP 200");
  await tested.getByRole("button", { name: "Close", exact: true }).click();
  await expect(row).not.toContainText("Last success never");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  const filters = page.getByRole("search", { name: "Filter notifications" });
  await filters.getByRole("combobox", { name: "Type" }).selectOption("test");
  const listed = page.getByRole("table", { name: "Notifications" }).getByRole("row").filter({ hasText: name }).first();
  await expect(listed).toContainText("Sent");
  await listed.getByRole("button", { name: /^Show notification \d+$/ }).click();
  const detail = page.getByRole("dialog", { name: /^Notification \d+: test$/ });
  await expect(detail.getByRole("region", { name: "Notification body" })).toContainText('"test"');
});
