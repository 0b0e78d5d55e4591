// A viewer signs in and reads every page, and is offered no action that writes:
// no create, edit, delete, rotate, test, replay, re-route, pause or resume, and no tokens page.
// Runs after the delivery flow, so there are sources, routes, destinations and events.

import { type Page } from "@playwright/test";

import { expect, signIn, test } from "./support";

function viewer(): { username: string; password: string } {
  const username = process.env.E2E_VIEWER_USERNAME;
  const password = process.env.E2E_VIEWER_PASSWORD;
  if (!username || !password) {
    throw new Error("E2E_VIEWER_USERNAME and E2E_VIEWER_PASSWORD must name a user with the viewer role");
  }
  return { username, password };
}

const WRITE_BUTTONS = /^(New |Edit |Delete |Rotate |Generate |Send test|Test |Replay|Re-route|Pause |Resume |Enable )/;

async function openFromNav(page: Page, label: string, heading: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
  await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
}

async function expectNoWriteButtons(page: Page) {
  await expect(page.getByRole("button", { name: WRITE_BUTTONS })).toHaveCount(0);
}

test("a viewer reads every page and is offered no write action", async ({ page }) => {
  const { username, password } = viewer();
  await signIn(page, username, password);
  // The shell says the role beside the username.
  await expect(page.getByText("role: viewer", { exact: true })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" })).toHaveCount(0);

  await openFromNav(page, "Sources", "Sources");
  await expect(page.getByRole("table", { name: "Sources" }).getByRole("row").nth(1)).toBeVisible();
  await expectNoWriteButtons(page);

  await openFromNav(page, "Destinations", "Destinations");
  await expect(page.getByRole("table", { name: "Destinations" }).getByRole("row").nth(1)).toBeVisible();
  await expectNoWriteButtons(page);

  await openFromNav(page, "Routes", "Routes");
  await expect(page.getByRole("table", { name: "Routes" }).getByRole("row").nth(1)).toBeVisible();
  await expectNoWriteButtons(page);

  await openFromNav(page, "Channels", "Notification channels");
  await expect(page.getByRole("table", { name: "Notification channels" }).getByRole("row").nth(1)).toBeVisible();
  await expectNoWriteButtons(page);

  await openFromNav(page, "Notifications", "Notifications");
  await expect(page.getByRole("table", { name: "Notifications" }).getByRole("row").nth(1)).toBeVisible();
  await expectNoWriteButtons(page);

  await openFromNav(page, "Deliveries", "Deliveries");
  const firstEvent = page.getByRole("table", { name: "Deliveries" }).getByRole("link").first();
  await expect(firstEvent).toBeVisible();
  await expect(page.getByRole("button", { name: /matching this filter/ })).toHaveCount(0);

  await firstEvent.click();
  await expect(page.getByRole("heading", { name: /^Event #\d+/, level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Outcomes" })).toBeVisible();
  await expectNoWriteButtons(page);
});
