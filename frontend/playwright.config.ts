import { defineConfig } from "@playwright/test";

// The browser is Debian's chromium package, driven through playwright-core: Playwright's
// own browser downloads are never used. The server under test is started by the caller
// (see README), which passes its address in E2E_BASE_URL.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: "./test-results",
  use: {
    baseURL: process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000",
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // desktop: every spec but the phone one, at 1280x800 (tests/e2e/test_dashboard.py);
  // mobile: the phone layout at 390x844 (tests/e2e/test_mobile_layout.py).
  projects: [
    { name: "desktop", testIgnore: "**/*.mobile.spec.ts" },
    { name: "mobile", testMatch: "**/*.mobile.spec.ts", use: { viewport: { width: 390, height: 844 } } },
  ],
});
