import { defineConfig, devices } from "@playwright/test";

// End-to-end tests run against a production build (`next build` first; scripts/test-all.mjs does it)
// served by scripts/e2e-server.mjs on a fresh database, in Debian's Chromium.
const port = Number(process.env.SITREP_E2E_PORT ?? 3900);
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update"],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, dependencies: ["setup"], testIgnore: /auth\.setup\.ts/ },
    // A 390×844 phone (touch, mobile viewport) for the command view and the layout checks only,
    // so CI does not run every spec twice.
    {
      name: "phone",
      use: { ...devices["Desktop Chrome"], viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
      dependencies: ["setup"],
      testMatch: /(command-view|layout)\.spec\.ts/,
    },
  ],
  webServer: {
    command: `node scripts/e2e-server.mjs --port ${port}`,
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
