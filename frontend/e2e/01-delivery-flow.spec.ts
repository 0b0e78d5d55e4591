// The whole loop through the browser: configure a source, a destination and a route;
// a signed webhook is delivered; a failing destination dead-letters the next one; after
// the destination recovers a replay from the dashboard delivers it.

import { type Page } from "@playwright/test";

import {
  expect,
  runId,
  sendGithubPush,
  setSinkStatus,
  settings,
  signIn,
  test,
  type SentWebhook,
} from "./support";

test.describe.configure({ mode: "serial" });

const run = runId();
const names = {
  source: `E2E GitHub ${run}`,
  slug: `e2e-github-${run}`,
  destination: `E2E sink ${run}`,
  route: `E2E main pushes ${run}`,
};
const secret = `e2e-secret-${run}`;

async function createSource(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sources" }).click();
  await page.getByRole("button", { name: "New source" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New source" });
  await dialog.getByLabel("Name", { exact: true }).fill(names.source);
  await dialog.getByLabel("Slug", { exact: true }).fill(names.slug);
  await dialog.getByLabel("Verification scheme").selectOption("github");
  await dialog.getByLabel("Signing secret").fill(secret);
  await dialog.getByRole("button", { name: "Create source" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(names.slug, { exact: true })).toBeVisible();
}

async function createDestination(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Destinations" }).click();
  await page.getByRole("button", { name: "New destination" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New destination" });
  await dialog.getByLabel("Name", { exact: true }).fill(names.destination);
  await dialog.getByLabel("URL", { exact: true }).fill(settings.sinkUrl);
  await dialog.getByRole("button", { name: "Create destination" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(names.destination, { exact: true })).toBeVisible();
}

async function createRoute(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Routes" }).click();
  await page.getByRole("button", { name: "New route" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New route" });
  await dialog.getByLabel("Name", { exact: true }).fill(names.route);
  await dialog.getByLabel("Source", { exact: true }).selectOption({ label: `${names.source} (${names.slug})` });
  await dialog.getByLabel("Destination", { exact: true }).selectOption({ label: names.destination });
  await dialog.getByLabel("Event types").fill("push");
  await dialog.getByLabel("Event types").press("Enter");
  await dialog.getByRole("button", { name: "Add condition" }).click();
  await dialog.getByLabel("Condition 1 path").fill("$.ref");
  await dialog.getByLabel("Condition 1 operator").selectOption("equals");
  await dialog.getByLabel("Condition 1 value").fill("refs/heads/main");
  await dialog.getByRole("button", { name: "Create route" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(names.route, { exact: true })).toBeVisible();
}

/**
 * In Deliveries, filtered to our source and an outcome status, watches the event's row
 * until it shows that status (the list refreshes itself), then opens the event.
 */
async function watchEvent(page: Page, sent: SentWebhook, outcomeStatus: string, label: string, timeout: number) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deliveries" }).click();
  await page.getByLabel("Source", { exact: true }).selectOption({ label: names.source });
  await page.getByLabel("Outcome status").selectOption(outcomeStatus);
  const link =
    sent.eventId === null
      ? page.getByRole("link", { name: /^Event \d+ \(push\)$/ }).first()
      : page.getByRole("link", { name: `Event ${sent.eventId} (push)`, exact: true });
  const row = page.getByRole("row").filter({ has: link });
  await expect(row.getByText(label, { exact: true })).toBeVisible({ timeout });
  await link.click();
  const heading = sent.eventId === null ? /^Event #\d+$/ : `Event #${sent.eventId}`;
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
}

function outcomeCard(page: Page) {
  return page.getByRole("article", { name: names.destination });
}

test.beforeAll(async ({ request }) => {
  await setSinkStatus(request, 200);
});

test.afterAll(async ({ request }) => {
  await setSinkStatus(request, 200);
});

test("configure, deliver, dead-letter and replay through the dashboard", async ({ page, request }) => {
  test.setTimeout(settings.deadLetterTimeoutMs + 180_000);
  await signIn(page);
  await createSource(page);
  await createDestination(page);
  await createRoute(page);

  // 1. A signed push to main is delivered, with its attempt on record.
  const first = await sendGithubPush(request, names.slug, secret, { ref: "refs/heads/main", after: "a1", n: 1 });
  expect(first.status, first.body).toBe(200);
  await watchEvent(page, first, "delivered", "Delivered", 30_000);
  await expect(outcomeCard(page).getByText("Delivered", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(outcomeCard(page).getByText("Attempt 1")).toBeVisible();
  await expect(outcomeCard(page).getByText("HTTP 200")).toBeVisible();

  // 2. The destination breaks: the next event runs out of retries and dead-letters.
  await setSinkStatus(request, 500);
  const second = await sendGithubPush(request, names.slug, secret, { ref: "refs/heads/main", after: "b2", n: 2 });
  expect(second.status, second.body).toBe(200);
  await watchEvent(page, second, "dead_lettered", "Dead lettered", settings.deadLetterTimeoutMs);
  await expect(outcomeCard(page).getByText("Dead lettered", { exact: true })).toBeVisible();
  await expect(outcomeCard(page).getByText("HTTP 500").first()).toBeVisible();

  // 3. The destination recovers; a replay from the dashboard delivers the event.
  await setSinkStatus(request, 200);
  await outcomeCard(page).getByRole("button", { name: `Replay to ${names.destination}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Replay" })).toBeVisible();
  await expect(outcomeCard(page).getByText("Delivered", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(outcomeCard(page).getByText("HTTP 200").first()).toBeVisible();
});
