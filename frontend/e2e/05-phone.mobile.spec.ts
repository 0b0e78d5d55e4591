// Every page at 390x844, as on a phone (the `mobile` project): no page scrolls sideways
// as a whole, the navigation is a menu button, the sources' Edit/Rotate/Delete and the
// deliveries' Outcomes column are on screen, a row's button still opens its dialog, and
// the deliveries' filters fold behind a button so the events come first.
// Runs against data the caller made (tests/e2e/test_mobile_layout.py): a source, a
// destination, a route, a transformation, a notification channel and its test notice,
// an API token, one delivered and one dead-lettered event, and the audit entries of it
// all. E2E_SOURCE_NAME names the source.

import { type Locator, type Page } from "@playwright/test";

import { expect, settle, shoot, signIn, test } from "./support";

const sourceName = process.env.E2E_SOURCE_NAME ?? "";

/** The page as a whole is no wider than the window: nothing to scroll sideways. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  await settle(page);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${what}: the page is ${scrollWidth} px wide in a ${innerWidth} px window`).toBeLessThanOrEqual(innerWidth);
}

/** Left and right edges inside the window: seen without scrolling anything sideways. */
async function expectWithinWidth(page: Page, locator: Locator, what: string) {
  await expect(locator, what).toBeVisible();
  const box = await locator.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box, what).not.toBeNull();
  expect(box?.x ?? -1, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect((box?.x ?? 0) + (box?.width ?? Infinity), `${what}: right edge`).toBeLessThanOrEqual(width);
}

/** Opens a page through the menu button, as a phone user does, and checks its width. */
async function openFromMenu(page: Page, link: string, heading: string) {
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav, "the sidebar is folded into the menu button").toBeHidden();
  await page.getByRole("button", { name: "Open menu" }).click();
  await nav.getByRole("link", { name: link, exact: true }).click();
  await expect(nav, "choosing a page closes the menu").toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await expectNoSidewaysScroll(page, heading);
}

/** The cells of the column headed `header`, one per row of the table. */
async function column(table: Locator, header: string): Promise<Locator[]> {
  const headers = await table.getByRole("columnheader").allInnerTexts();
  const index = headers.findIndex((text) => text.trim().toLowerCase() === header.toLowerCase());
  expect(index, `a column headed ${header}`).toBeGreaterThanOrEqual(0);
  const rows = await table.getByRole("rowgroup").nth(1).getByRole("row").all();
  return rows.map((row) => row.getByRole("cell").nth(index));
}

test.beforeAll(() => {
  if (!sourceName) throw new Error("E2E_SOURCE_NAME must name a source (see tests/e2e/test_mobile_layout.py)");
});

test("the login page fits a phone", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expectNoSidewaysScroll(page, "Login");
  await expectWithinWidth(page, page.getByRole("button", { name: "Sign in" }), "the Sign in button");
});

test("every page fits a phone and its row actions are on screen", async ({ page }) => {
  await signIn(page);
  await expectNoSidewaysScroll(page, "Overview");
  await shoot(page, "overview-mobile");
  await page.getByRole("button", { name: "Open menu" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await shoot(page, "navigation-mobile");
  await page.getByRole("button", { name: "Close menu" }).click();

  // Whatever the menu holds (pages added later too): each page fits.
  await page.getByRole("button", { name: "Open menu" }).click();
  const links = await page.getByRole("navigation", { name: "Main" }).getByRole("link").allInnerTexts();
  await page.getByRole("button", { name: "Close menu" }).click();
  expect(links.length, "the menu lists the pages").toBeGreaterThan(5);
  // By place, not name: a link may carry a count beside its label (Issues).
  for (const [index, link] of links.map((text) => text.trim().split("\n")[0]).entries()) {
    await page.getByRole("button", { name: "Open menu" }).click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link").nth(index).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSidewaysScroll(page, `the ${link} page`);
  }

  // Sources: the row's buttons are on screen and work.
  await openFromMenu(page, "Sources", "Sources");
  for (const name of [`Edit ${sourceName}`, `Rotate secret of ${sourceName}`, `Delete ${sourceName}`]) {
    await expectWithinWidth(page, page.getByRole("button", { name, exact: true }), name);
  }
  await shoot(page, "sources-mobile");
  await page.getByRole("button", { name: `Edit ${sourceName}`, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Edit ${sourceName}` });
  await expect(dialog).toBeVisible();
  await expectWithinWidth(page, dialog.getByRole("button", { name: "Save changes" }), "the dialog's Save button");
  await expectNoSidewaysScroll(page, "the Edit source dialog");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // Deliveries: every event's Outcomes cell is on screen and says what happened.
  await openFromMenu(page, "Deliveries", "Deliveries");
  const deliveries = page.getByRole("table", { name: "Deliveries" });
  const firstEvent = deliveries.getByRole("link").first();
  await expectWithinWidth(page, firstEvent, "the first event's link");
  const top = (await firstEvent.boundingBox())?.y ?? Infinity;
  expect(top, "the first event is on the first screen, above the folded filters").toBeLessThan(844);
  const filters = page.getByRole("search", { name: "Filter deliveries" });
  await expect(filters.getByLabel("Source", { exact: true }), "the filters are folded on a phone").toBeHidden();
  await filters.getByRole("button", { name: "Filters", exact: true }).click();
  await expectWithinWidth(page, filters.getByLabel("Source", { exact: true }), "the Source filter, unfolded");
  await expectNoSidewaysScroll(page, "Deliveries with its filters open");
  await filters.getByRole("button", { name: "Filters", exact: true }).click();
  await expect(deliveries.getByRole("cell", { name: /Dead lettered/ })).toBeVisible();
  const outcomes = await column(deliveries, "Outcomes");
  expect(outcomes.length, "two events listed").toBe(2);
  for (const [index, cell] of outcomes.entries()) {
    await expectWithinWidth(page, cell, `the Outcomes cell of event row ${index + 1}`);
    await expect(cell).toContainText(/Delivered|Dead lettered/);
  }
  await shoot(page, "deliveries-mobile");

  // The event page of the dead letter: its outcome card and Replay button on screen.
  await deliveries.getByRole("row").filter({ hasText: "Dead lettered" }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: /^Event #\d+$/ })).toBeVisible();
  await expectNoSidewaysScroll(page, "the event page");
  await expectWithinWidth(page, page.getByRole("button", { name: /^Replay to / }), "the outcome's Replay button");

  await openFromMenu(page, "Destinations", "Destinations");
  await expectWithinWidth(page, page.getByRole("button", { name: /^Edit / }).first(), "a destination's Edit button");
  await openFromMenu(page, "Routes", "Routes");
  await expectWithinWidth(page, page.getByRole("button", { name: /^Test / }).first(), "a route's Test button");

  await openFromMenu(page, "Transformations", "Transformations");
  const transformation = page.getByRole("table", { name: "Transformations" }).getByRole("link").first();
  const transformationName = (await transformation.innerText()).trim();
  await transformation.click();
  await expect(page.getByRole("heading", { level: 1, name: transformationName })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Code" })).toContainText("function transform");
  await expectNoSidewaysScroll(page, "the transformation editor");
  await expectWithinWidth(page, page.getByRole("button", { name: "Save changes" }), "the editor's Save button");
  await page.goto("/transformations/new");
  await expect(page.getByRole("heading", { level: 1, name: "New transformation" })).toBeVisible();
  await expectNoSidewaysScroll(page, "a new transformation");

  await openFromMenu(page, "Notifications", "Notifications");
  await expectWithinWidth(page, page.getByRole("button", { name: /^Show notification / }).first(), "a notification's Details button");
  await openFromMenu(page, "Channels", "Notification channels");
  await expectWithinWidth(page, page.getByRole("button", { name: /^Edit / }).first(), "a channel's Edit button");
  await openFromMenu(page, "API tokens", "API tokens");
  await expectWithinWidth(page, page.getByRole("button", { name: /^Revoke / }).first(), "a token's Revoke button");

  await openFromMenu(page, "Audit log", "Audit log");
  const audit = page.getByRole("table", { name: "Audit log" });
  await expect(audit.getByText(sourceName, { exact: false }).first()).toBeVisible();
  await shoot(page, "audit-log-mobile");

  await openFromMenu(page, "Overview", "Overview");
});
