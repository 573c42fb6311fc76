import { execFileSync } from "node:child_process";
import { defineConfig, devices } from "@playwright/test";
import { z } from "zod";

/**
 * End-to-end tests against the real app (`scripts/start.ts` → `scripts/serve.ts`, Next's production server) on a fresh database.
 * Run them through `npm run test:e2e` (or `npm test`), which creates that database and builds the app.
 */
if (!process.env.E2E_PORT) {
  // Chosen once in the main process; workers inherit it through the environment.
  process.env.E2E_PORT = execFileSync(
    process.execPath,
    ["-e", "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"],
    { encoding: "utf8" },
  ).trim();
}
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;
const databaseUrl = process.env.E2E_DATABASE_URL;
if (!databaseUrl) throw new Error("E2E_DATABASE_URL is not set: run the end-to-end tests with `npm run test:e2e`");
// Chosen by scripts/test.ts (scripts/lib/chromium.ts): CHROMIUM_PATH, Debian's, or the npm-packaged one.
const chromiumPath = process.env.E2E_CHROMIUM_PATH;
if (!chromiumPath) throw new Error("E2E_CHROMIUM_PATH is not set: run the end-to-end tests with `npm run test:e2e`");
const chromiumArgs = z.array(z.string()).parse(JSON.parse(process.env.E2E_CHROMIUM_ARGS ?? "[]"));

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  // Whole flows (sign in, several pages, real deliveries) on 2 shared cores: a bound, not a speed target.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: process.env.CI ? 2 : 2,
  retries: 0,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: "exec node_modules/.bin/tsx scripts/start.ts",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      DATA_DIR: process.env.E2E_DATA_DIR ?? ".data/e2e",
      AUTH_SECRET: "e2e-auth-secret-e2e-auth-secret-e2e-auth",
      ADMIN_EMAIL: "admin@acme.test",
      ADMIN_PASSWORD: "e2e-admin-password",
      NODE_ENV: "production",
      // Every API answer is checked against its documented schema (a mismatch is a 500 the specs see).
      API_CHECK_RESPONSES: "true",
    },
  },
});
