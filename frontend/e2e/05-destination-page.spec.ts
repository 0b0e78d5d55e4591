// A destination's page, driven by tests/e2e/test_destination_page.py: that test stores
// one delivered and one dead-lettered event for a destination through the real worker,
// makes the sink answer 200 again, and names them here. The page shows both events,
// the figures and the failed attempts; replaying its dead letter from the page sends the
// event to the sink again (the Python side checks that it arrived). Skipped in the full
// suite run, which does not set E2E_DESTINATION_NAME.

import { mkdirSync } from "node:fs";

import { expect, signIn, test } from "./support";

const destination = process.env.E2E_DESTINATION_NAME ?? "";
const delivered = process.env.E2E_DELIVERED_EVENT ?? "";
const deadLettered = process.env.E2E_DEAD_LETTERED_EVENT ?? "";

test.skip(!destination, "run by tests/e2e/test_destination_page.py");

test("a destination's page shows its deliveries and figures, and replays its dead letter", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Destinations" }).click();
  await page.getByRole("link", { name: `Open ${destination}` }).click();
  await expect(page.getByRole("heading", { name: destination, level: 1 })).toBeVisible();

  const figures = page.getByLabel("Destination figures");
  await expect(figures).toContainText("Dead letters1");
  await expect(figures).toContainText("Held0");
  // One success, then four failed attempts of the dead letter (DELIVERY_MAX_ATTEMPTS).
  await expect(figures).toContainText("Success rate20.0%1 of 5 attempts, last 24 h");
  await expect(figures).toContainText(/Latency p50\d+ ms/);
  await expect(figures.getByText("4 failures in a row")).toBeVisible();

  const errors = page.getByRole("list", { name: "Recent errors" });
  await expect(errors.getByText("HTTP 500").first()).toBeVisible();
  await expect(errors.getByRole("link", { name: `Event #${deadLettered}` }).first()).toBeVisible();

  const deliveries = page.getByRole("region", { name: "Deliveries" });
  await expect(deliveries.getByRole("link", { name: `Event ${delivered} (push)` })).toBeVisible();
  await expect(deliveries.getByRole("link", { name: `Event ${deadLettered} (push)` })).toBeVisible();

  // For docs/screenshots (the Python side passes where: a temporary folder unless asked).
  const shots = process.env.E2E_SCREENSHOT_DIR;
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.waitForLoadState("networkidle").catch(() => undefined);
    await page.screenshot({ path: `${shots}/destination-page.png` });
  }

  // The 1 h switch asks again; both events are minutes old, so the figures stay.
  await page.getByText("Last 1 h").click();
  await expect(figures).toContainText("1 of 5 attempts, last 1 h");

  await page.getByRole("button", { name: "Replay 1 dead letter" }).click();
  const dialog = page.getByRole("dialog", { name: "Replay 1 dead letter?" });
  await dialog.getByRole("button", { name: "Replay 1" }).click();
  await expect(page.getByText("Queued 1 dead letter for replay.")).toBeVisible();

  // Replayed and delivered: no dead letter left, and a sixth attempt, a success.
  await expect(figures).toContainText("Dead letters0", { timeout: 30_000 });
  await expect(figures).toContainText("2 of 6 attempts", { timeout: 30_000 });
  await expect(figures.getByText("Healthy")).toBeVisible();
});
