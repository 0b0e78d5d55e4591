// Shared pieces of the end-to-end suite: settings from the environment, signing in,
// signing and sending a GitHub-style webhook, steering the test sink, and a page fixture
// that fails a test on any console error the app itself causes.

import { createHmac, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set for the end-to-end tests (see frontend/README.md)`);
  }
  return value;
}

export const settings = {
  get username() {
    return required("E2E_USERNAME");
  },
  get password() {
    return required("E2E_PASSWORD");
  },
  get sinkUrl() {
    return required("E2E_SINK_URL");
  },
  get sinkControlUrl() {
    return required("E2E_SINK_CONTROL_URL");
  },
  /** How long to wait for retries to run out and the event to dead-letter. */
  deadLetterTimeoutMs: Number(process.env.E2E_DEAD_LETTER_TIMEOUT_MS ?? 90_000),
};

/** Browser noise that is not an app error: the network log line Chrome prints for a 4xx. */
const IGNORED_CONSOLE = [/Failed to load resource: the server responded with a status of (401|403|404|409|429)/];

export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && !IGNORED_CONSOLE.some((pattern) => pattern.test(message.text()))) {
          errors.push(message.text());
        }
      });
      page.on("pageerror", (error) => errors.push(error.message));
      await use(errors);
      expect(errors, "console errors on the page").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function signIn(page: Page, username = settings.username, password = settings.password): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
}

export async function setSinkStatus(request: APIRequestContext, status: number): Promise<void> {
  const response = await request.post(settings.sinkControlUrl, { data: { status } });
  expect(response.ok(), `sink control answered ${response.status()}`).toBeTruthy();
}

export function githubSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface SentWebhook {
  status: number;
  body: string;
  /** The stored event's id, when the ingest answer names it. */
  eventId: number | null;
}

function eventIdOf(body: string): number | null {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const id = parsed.delivery_id ?? parsed.event_id ?? parsed.id;
    return typeof id === "number" ? id : null;
  } catch {
    return null;
  }
}

/** Posts a push event signed like GitHub does (X-Hub-Signature-256 over the raw body). */
export async function sendGithubPush(
  request: APIRequestContext,
  slug: string,
  secret: string,
  payload: Record<string, unknown>,
): Promise<SentWebhook> {
  const body = JSON.stringify(payload);
  const response = await request.post(`/webhooks/receive/${slug}/`, {
    data: body,
    headers: {
      "Content-Type": "application/json",
      "X-GitHub-Event": "push",
      "X-GitHub-Delivery": randomUUID(),
      "X-Hub-Signature-256": githubSignature(secret, body),
    },
  });
  const text = await response.text();
  return { status: response.status(), body: text, eventId: eventIdOf(text) };
}

/** A short suffix that keeps names unique across runs against the same database. */
export function runId(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/**
 * Whether the server has the transformations API (issue #15): the dashboard ships its
 * pages before every backend does, and the specs that need it skip on a 404.
 */
export async function hasTransformationsApi(page: Page): Promise<boolean> {
  const response = await page.request.get("/api/transformations/");
  return response.status() !== 404;
}

/** Replaces the text of the CodeMirror editor named `name`, as a user pasting code would. */
export async function replaceCode(page: Page, name: string, code: string): Promise<void> {
  const editor = page.getByRole("textbox", { name });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  // insertText, not type: typed brackets would be closed a second time by the editor.
  await page.keyboard.insertText(code);
}

const screenshotDir = process.env.E2E_SCREENSHOT_DIR ?? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));

/** Waits until no spinner says it is loading and the network is quiet. */
export async function settle(page: Page): Promise<void> {
  await expect(page.getByRole("status").filter({ hasText: /Loading|Checking/ })).toHaveCount(0, { timeout: 15_000 });
  await page.waitForLoadState("networkidle").catch(() => undefined);
}

/** Saves a PNG of the viewport as `<name>.png` for docs/screenshots (E2E_SCREENSHOT_DIR). */
export async function shoot(page: Page, name: string): Promise<void> {
  await settle(page);
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}/${name}.png` });
}
