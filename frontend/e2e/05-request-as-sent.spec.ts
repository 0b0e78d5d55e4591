// The request as sent, on the event page: tests/e2e/test_request_as_sent.py delivers a
// signed event to a failing destination, replays it, and passes its id (and the secrets
// that must not show) here; this spec only looks. Run on its own otherwise, it skips.

import { expect, signIn, test } from "./support";

const eventId = process.env.E2E_REQUEST_EVENT_ID;
const secrets = (process.env.E2E_REQUEST_SECRETS ?? "").split(",").filter(Boolean);
const replayedBy = process.env.E2E_REQUEST_REPLAYED_BY ?? "";

test("the event page shows what each attempt sent, masked, and where the replay started", async ({ page }) => {
  test.skip(!eventId, "arranged by tests/e2e/test_request_as_sent.py");
  await signIn(page);
  await page.goto(`/deliveries/${eventId}`);

  const heading = page.getByRole("heading", { level: 1, name: `Event #${eventId}` });
  await expect(heading).toBeVisible();
  // The badge follows the outcome, not the event's own "Routed".
  await expect(heading.locator("xpath=..").getByText("Delivered", { exact: true })).toBeVisible();

  const card = page.getByRole("article").first();
  await expect(card.getByText("2 (1 since the replay)")).toBeVisible();
  const attempts = card.getByRole("list", { name: "Attempts" });
  await expect(attempts.getByText(new RegExp(`^Replayed by ${replayedBy} at `))).toBeVisible();

  // The latest attempt is unfolded: its request beside its response.
  const request = card.getByRole("region", { name: "Request of attempt 2" });
  await expect(request.getByText(/^POST http:\/\/127\.0\.0\.1:\d+\/hook$/)).toBeVisible();
  const headers = request.getByRole("table", { name: "Headers sent" });
  await expect(headers.getByRole("row", { name: "webhook-signature v1,[redacted]" })).toBeVisible();
  await expect(headers.getByRole("row", { name: "Authorization [redacted]" })).toBeVisible();
  await expect(headers.getByRole("row", { name: "X-RelayCore-Event-Id " + eventId })).toBeVisible();
  await expect(request.getByLabel("Body sent by attempt 2")).toContainText('"ref": "refs/heads/main"');
  const response = card.getByRole("region", { name: "Response to attempt 2" });
  await expect(response.getByText("Status 200")).toBeVisible();
  await expect(response.getByLabel("Body answered to attempt 2")).toContainText('"ok": true');

  // The first attempt, before the replay, folded: it failed with 400 and says so.
  const first = attempts.getByRole("listitem", { name: "Attempt 1" });
  await first.getByText("Request and response").click();
  await expect(first.getByRole("region", { name: "Response to attempt 1" }).getByText("Status 400")).toBeVisible();

  for (const secret of secrets) {
    await expect(page.locator("body")).not.toContainText(secret);
  }
});
