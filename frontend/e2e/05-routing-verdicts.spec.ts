// Why an event went nowhere, through the browser: the route form names a malformed
// JSONPath while it is typed (the server's own check, before any save); a push the
// route's condition refuses is `filtered`, and its page says which condition failed and
// what value it found.

import { type Page } from "@playwright/test";

import { expect, runId, sendGithubPush, settings, signIn, test } from "./support";

const run = runId();
const names = {
  source: `E2E verdicts ${run}`,
  slug: `e2e-verdicts-${run}`,
  destination: `E2E verdict sink ${run}`,
  route: `E2E main only ${run}`,
};
const secret = `e2e-verdicts-${run}`;

async function open(page: Page, link: string, button: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
  await page.getByRole("button", { name: button }).first().click();
  return page.getByRole("dialog", { name: button });
}

async function createSourceAndDestination(page: Page) {
  const source = await open(page, "Sources", "New source");
  await source.getByLabel("Name", { exact: true }).fill(names.source);
  await source.getByLabel("Slug", { exact: true }).fill(names.slug);
  await source.getByLabel("Verification scheme").selectOption("github");
  await source.getByLabel("Signing secret").fill(secret);
  await source.getByRole("button", { name: "Create source" }).click();
  await expect(source).toBeHidden();

  const destination = await open(page, "Destinations", "New destination");
  await destination.getByLabel("Name", { exact: true }).fill(names.destination);
  await destination.getByLabel("URL", { exact: true }).fill(settings.sinkUrl);
  await destination.getByRole("button", { name: "Create destination" }).click();
  await expect(destination).toBeHidden();
}

test("a malformed JSONPath shows before save, and a filtered event says which condition failed", async ({ page, request }) => {
  await signIn(page);
  await createSourceAndDestination(page);

  const route = await open(page, "Routes", "New route");
  await route.getByLabel("Name", { exact: true }).fill(names.route);
  await route.getByLabel("Source", { exact: true }).selectOption({ label: `${names.source} (${names.slug})` });
  await route.getByLabel("Destination", { exact: true }).selectOption({ label: names.destination });
  await route.getByLabel("Event types").fill("push");
  await route.getByLabel("Event types").press("Enter");
  await route.getByRole("button", { name: "Add condition" }).click();
  await route.getByLabel("Condition 1 path").fill("$.ref[");
  await route.getByLabel("Condition 1 operator").selectOption("equals");
  await route.getByLabel("Condition 1 value").fill("refs/heads/main");
  // The server's check, as the user types: nothing was saved yet.
  await expect(route.getByText(/condition 1 \(\$\.ref\[\): invalid JSONPath/)).toBeVisible();
  await expect(route.getByText(/^Server:/)).toHaveCount(0);

  await route.getByLabel("Condition 1 path").fill("$.ref");
  await expect(route.getByText(/invalid JSONPath/)).toHaveCount(0);
  await route.getByRole("button", { name: "Create route" }).click();
  await expect(route).toBeHidden();

  const sent = await sendGithubPush(request, names.slug, secret, { ref: "refs/heads/dev" });
  expect(sent.status, sent.body).toBe(200);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deliveries" }).click();
  await page.getByLabel("Source", { exact: true }).selectOption({ label: names.source });
  await page.getByLabel("Status", { exact: true }).selectOption("filtered");
  const link = page.getByRole("link", { name: `Event ${sent.eventId} (push)`, exact: true });
  await expect(page.getByRole("row").filter({ has: link }).getByText("Filtered by routes")).toBeVisible({ timeout: 30_000 });
  await link.click();

  await expect(
    page.getByText('Filtered: condition 1 failed: $.ref was "refs/heads/dev", expected equals "refs/heads/main"'),
  ).toBeVisible();
  const verdicts = page.getByRole("list", { name: "Routing verdicts" });
  await expect(verdicts.getByText(names.route)).toBeVisible();
  await expect(verdicts.getByText("Condition failed")).toBeVisible();
});
