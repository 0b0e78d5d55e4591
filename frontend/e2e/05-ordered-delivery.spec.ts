// Ordered delivery through the browser: a route given an ordering key in its form, dead
// letters blocking; while the destination fails, the second event of a key waits for the
// first, and its page says so with a link to the first; the first dead-letters; once the
// destination recovers, replaying the first from its page lets the second through.

import { type Page } from "@playwright/test";

import { expect, runId, sendGithubPush, setSinkStatus, settings, signIn, test } from "./support";

const run = runId();
const names = {
  source: `E2E ordered ${run}`,
  slug: `e2e-ordered-${run}`,
  destination: `E2E ordered sink ${run}`,
  route: `E2E per repository ${run}`,
};
const secret = `e2e-ordered-${run}`;

async function configure(page: Page) {
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Sources" }).click();
  await page.getByRole("button", { name: "New source" }).first().click();
  const source = page.getByRole("dialog", { name: "New source" });
  await source.getByLabel("Name", { exact: true }).fill(names.source);
  await source.getByLabel("Slug", { exact: true }).fill(names.slug);
  await source.getByLabel("Verification scheme").selectOption("github");
  await source.getByLabel("Signing secret").fill(secret);
  await source.getByRole("button", { name: "Create source" }).click();
  await expect(source).toBeHidden();

  await nav.getByRole("link", { name: "Destinations" }).click();
  await page.getByRole("button", { name: "New destination" }).first().click();
  const destination = page.getByRole("dialog", { name: "New destination" });
  await destination.getByLabel("Name", { exact: true }).fill(names.destination);
  await destination.getByLabel("URL", { exact: true }).fill(settings.sinkUrl);
  await destination.getByRole("button", { name: "Create destination" }).click();
  await expect(destination).toBeHidden();

  await nav.getByRole("link", { name: "Routes" }).click();
  await page.getByRole("button", { name: "New route" }).first().click();
  const route = page.getByRole("dialog", { name: "New route" });
  await route.getByLabel("Name", { exact: true }).fill(names.route);
  await route.getByLabel("Source", { exact: true }).selectOption({ label: `${names.source} (${names.slug})` });
  await route.getByLabel("Destination", { exact: true }).selectOption({ label: names.destination });
  await route.getByLabel("Event types").fill("push");
  await route.getByLabel("Event types").press("Enter");
  await route.getByLabel("Ordering key").fill("$.repository.full_name");
  await route.getByLabel("A dead letter blocks its key").check();
  await route.getByRole("button", { name: "Create route" }).click();
  await expect(route).toBeHidden();
  await expect(page.getByText(names.route, { exact: true })).toBeVisible();
}

test("with dead letters blocking, the second event of a key waits for the first until it is replayed", async ({
  page,
  request,
}) => {
  await signIn(page);
  await configure(page);
  await setSinkStatus(request, 500);
  const push = { ref: "refs/heads/main", repository: { full_name: "acme/api" } };
  const first = await sendGithubPush(request, names.slug, secret, { ...push, n: 1 });
  const second = await sendGithubPush(request, names.slug, secret, { ...push, n: 2 });
  expect(first.eventId && second.eventId).toBeTruthy();
  try {

    // Routed by the worker a moment after it was stored: look until it has its place.
    await page.goto(`/deliveries/${second.eventId}`);
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole("link", { name: `event #${first.eventId}` })).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await expect(page.getByText(/^Ordered by/)).toHaveText(
      "Ordered by $.repository.full_name = acme/api; a dead letter blocks the key until it is replayed.",
    );
    await expect(page.getByRole("article").getByText("Waiting", { exact: true })).toBeVisible();

    await page.getByRole("link", { name: `event #${first.eventId}` }).click();
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole("article").getByText("Dead lettered", { exact: true })).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 90_000 });
    // Dead-lettered, it still holds the key: the second waits on.
    await page.goto(`/deliveries/${second.eventId}`);
    await expect(page.getByRole("article").getByText("Waiting", { exact: true })).toBeVisible();
  } finally {
    await setSinkStatus(request, 200);
  }
  await page.getByRole("link", { name: `event #${first.eventId}` }).click();
  await page.getByRole("button", { name: `Replay to ${names.destination}` }).click();
  await page.goBack();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("article").getByText("Delivered", { exact: true })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
});
