// The Issues page against a destination that refused two events (tests/e2e/test_issues.py
// sets it up and names it in E2E_ISSUE_DESTINATION; without it this spec is skipped):
// the navigation's open count, the list, the detail with its affected events, replaying
// the dead letters once the destination is fixed, and resolving the issue.

import { expect, setSinkStatus, signIn, test } from "./support";

const destination = process.env.E2E_ISSUE_DESTINATION ?? "";
// The pages are photographed for docs/screenshots when the caller asks (see test_issues.py).
const screenshots = process.env.E2E_SCREENSHOT_DIR;

test.skip(!destination, "needs E2E_ISSUE_DESTINATION (run by tests/e2e/test_issues.py)");

test("an operator finds the issue, replays its dead letters and resolves it", async ({ page, request }) => {
  await signIn(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: /^Issues\s*: 1 open$/ }).click();
  await expect(page.getByRole("heading", { name: "Issues", level: 1 })).toBeVisible();

  const row = page.getByRole("table", { name: "Issues" }).getByRole("row").filter({ hasText: `at ${destination}` });
  await expect(row).toContainText("Open");
  await expect(row).toContainText("HTTP 400");
  if (screenshots) await page.screenshot({ path: `${screenshots}/issues.png` });
  await row.getByRole("link", { name: "HTTP 4xx" }).click();

  await expect(page.getByRole("heading", { name: `HTTP 4xx at ${destination}`, level: 1 })).toBeVisible();
  const affected = page.getByRole("table", { name: "Affected events" });
  await expect(affected.getByRole("link", { name: /^#\d+$/ })).toHaveCount(2);
  await expect(affected).toContainText("Dead lettered");
  if (screenshots) await page.screenshot({ path: `${screenshots}/issue-detail.png`, fullPage: true });

  await setSinkStatus(request, 200); // the destination is fixed
  await page.getByRole("button", { name: "Replay dead letters (2)" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText("2 dead letters queued for replay")).toBeVisible();

  await page.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByText("Issue resolved")).toBeVisible();
  const summary = page.getByRole("region", { name: "Issue" });
  await expect(summary.locator("dt", { hasText: "Resolved" }).locator("+ dd")).toContainText(`by ${process.env.E2E_USERNAME}`);
  await expect(page.getByRole("button", { name: "Resolve" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Issues", exact: true })).toBeVisible(); // no open count left

  // An affected event opens its own page.
  await affected.getByRole("link", { name: /^#\d+$/ }).first().click();
  await expect(page).toHaveURL(/\/deliveries\/\d+$/);
});
