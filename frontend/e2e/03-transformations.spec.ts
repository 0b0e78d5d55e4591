// An admin writes a JavaScript transformation in the editor, runs it against the sample
// event (the console line and the shaped body come back from the server's sandbox),
// then saves it and finds it in the list. Skips when the server has no
// /api/transformations/ yet (it answers 404).

import { expect, hasTransformationsApi, replaceCode, runId, signIn, test } from "./support";

const CODE = `function transform(event) {
  console.log("e2e saw", event.event_type);
  return { body: { shaped: event.body.ref }, headers: { "X-E2E": "yes" } };
}
`;

test("an admin writes a transformation, runs it against a sample and saves it", async ({ page }) => {
  await signIn(page);
  test.skip(!(await hasTransformationsApi(page)), "the server has no /api/transformations/ yet (404)");
  const name = `e2e shaper ${runId()}`;

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Transformations" }).click();
  await expect(page.getByRole("heading", { name: "Transformations", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "New transformation" }).first().click();
  await expect(page.getByRole("heading", { name: "New transformation", level: 1 })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Code" })).toContainText("function transform(event)");

  await page.getByRole("textbox", { name: "Name" }).fill(name);
  await replaceCode(page, "Code", CODE);
  await expect(page.getByText("Unsaved changes")).toBeVisible();

  // The sample event is prefilled: a GitHub push to refs/heads/main.
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const result = page.getByRole("region", { name: "Run result" });
  await expect(result).toBeVisible();
  await expect(result.getByRole("list", { name: "Console output" })).toContainText("e2e saw push");
  await expect(result.getByText('"refs/heads/main"')).toBeVisible();
  await expect(result.getByText(/^took [\d.,]+ ms$/)).toBeVisible();
  await expect(result.getByRole("alert")).toHaveCount(0);

  await page.getByRole("button", { name: "Create transformation" }).click();
  await expect(page).toHaveURL(/\/transformations\/\d+$/);
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("v1", { exact: true })).toBeVisible();

  await page.goto("/transformations");
  await expect(page.getByRole("link", { name })).toBeVisible();
});
