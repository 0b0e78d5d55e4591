// A PNG of every page for docs/screenshots/ (and the README), taken from the real app.
// Runs after the delivery flow so the pages have data in them. The phone-sized ones are
// taken by 05-phone.mobile.spec.ts.

import { expect, hasTransformationsApi, settle, shoot, signIn, test } from "./support";

const PAGES: { name: string; path: string; heading: string | RegExp }[] = [
  { name: "overview", path: "/", heading: "Overview" },
  { name: "deliveries", path: "/deliveries", heading: "Deliveries" },
  { name: "sources", path: "/sources", heading: "Sources" },
  { name: "routes", path: "/routes", heading: "Routes" },
  { name: "destinations", path: "/destinations", heading: "Destinations" },
  { name: "notifications", path: "/notifications", heading: "Notifications" },
  { name: "channels", path: "/notifications/channels", heading: "Notification channels" },
  { name: "audit-log", path: "/audit-log", heading: "Audit log" },
  { name: "tokens", path: "/tokens", heading: "API tokens" },
];

test("screenshots of every page at 1280 px", async ({ page }) => {
  test.setTimeout(120_000);

  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await shoot(page, "login");

  await signIn(page);
  for (const { name, path, heading } of PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await shoot(page, name);
  }

  // The detail of the newest event, if there is one.
  await page.goto("/deliveries");
  await settle(page);
  const firstEvent = page.getByRole("link", { name: /^Event \d+/ }).first();
  if (await firstEvent.isVisible()) {
    await firstEvent.click();
    await expect(page.getByRole("heading", { level: 1, name: /^Event #\d+$/ })).toBeVisible();
    await shoot(page, "delivery-detail");
  }

  // The forms people spend time in.
  await page.goto("/sources");
  await page.getByRole("button", { name: "New source" }).first().click();
  await page.getByRole("dialog").getByLabel("Verification scheme").selectOption("github");
  await shoot(page, "source-form");
  await page.keyboard.press("Escape");

  await page.goto("/routes");
  await settle(page);
  const testButton = page.getByRole("button", { name: /^Test / }).first();
  if (await testButton.isVisible()) {
    await page.getByRole("button", { name: /^Edit / }).first().click();
    await shoot(page, "route-form");
    await page.keyboard.press("Escape");
    await testButton.click();
    await page.getByRole("dialog").getByRole("button", { name: "Run test" }).click();
    await expect(page.getByRole("region", { name: "Test result" })).toBeVisible();
    await shoot(page, "route-test");
    await page.keyboard.press("Escape");
  }

  // The transformations list and the editor with a run of the starter template against the
  // sample event; only where the server has the transformations API (it answers 404 before).
  if (await hasTransformationsApi(page)) {
    await page.goto("/transformations");
    await expect(page.getByRole("heading", { level: 1, name: "Transformations" })).toBeVisible();
    await shoot(page, "transformations");
    await page.goto("/transformations/new");
    await expect(page.getByRole("textbox", { name: "Code" })).toContainText("function transform(event)");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(page.getByRole("region", { name: "Run result" })).toBeVisible();
    await shoot(page, "transformation-editor");
  }
});
