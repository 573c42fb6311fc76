/**
 * `npm test`: type-check, lint, unit + integration tests (vitest, fresh embedded PostgreSQL
 * database) and the Playwright end-to-end suite in Chromium against a production build.
 *
 *   npm test                 everything
 *   npm test -- static       type-check and lint only
 *   npm test -- unit         vitest only
 *   npm test -- e2e          Playwright only (npm run test:e2e)
 *
 * TEST_DATABASE_URL points the databases at an existing PostgreSQL server instead.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded } from "./lib/build";
import { chooseChromium } from "./lib/chromium";
import { createTestDatabase, freePort } from "./lib/test-database";

const root = path.resolve(import.meta.dirname, "..");
// Builds for the end-to-end suite go to their own folder: a running `npm start` keeps its build.
process.env.NEXT_DIST_DIR = ".next-test";
const bin = (name: string) => path.join(root, "node_modules/.bin", name);
const only = process.argv[2];
/** Extra arguments after the part are passed to its runner, e.g. `npm run test:e2e -- e2e/auth.spec.ts`. */
const extra = process.argv.slice(3);
const log = (line: string) => console.log(`\n[test] ${line}`);

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
/**
 * Every failed test, named again at the very end: a runner's own report of a failure can be
 * thousands of lines above the closing line, out of reach of a log that keeps only its tail (CI's).
 */
const failures: string[] = [];
const firstLine = (text: string | undefined) => (text ?? "").split("\n").find((l) => l.trim())?.trim().slice(0, 300) ?? "";

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function step(name: string, fn: () => Promise<number>): Promise<boolean> {
  const started = Date.now();
  log(`${name} ...`);
  const code = await fn();
  log(`${name}: ${code === 0 ? "ok" : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code === 0;
}

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

interface PlaywrightSuite {
  title: string;
  file: string;
  specs: { title: string; line: number; tests: { status: string; results: { error?: { message?: string } }[] }[] }[];
  suites?: PlaywrightSuite[];
}

/** Playwright's JSON report nests suites (file › describe › …); name each unexpected test with its path. */
function playwrightFailures(suites: PlaywrightSuite[], titles: string[] = []): string[] {
  return suites.flatMap((suite) => {
    const here = suite.title === suite.file ? titles : [...titles, suite.title];
    const own = suite.specs.flatMap((spec) =>
      spec.tests
        .filter((t) => t.status === "unexpected")
        .map((t) => `${suite.file}:${spec.line} › ${[...here, spec.title].join(" › ")}: ${firstLine(t.results.at(-1)?.error?.message)}`),
    );
    return [...own, ...playwrightFailures(suite.suites ?? [], here)];
  });
}

async function vitest(reportDir: string): Promise<number> {
  const out = path.join(reportDir, "vitest.json");
  const code = await run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...extra]);
  const report = readJson<VitestReport>(out);
  if (report) {
    for (const file of report.testResults)
      for (const test of file.assertionResults)
        if (test.status === "failed")
          failures.push(`${path.relative(root, file.name)} › ${test.fullName}: ${firstLine(test.failureMessages[0])}`);
    // A file that failed outside its tests (an import error, a hook that threw) has no failed test to name.
    for (const file of report.testResults)
      if (file.status === "failed" && !file.assertionResults.some((t) => t.status === "failed"))
        failures.push(`${path.relative(root, file.name)}: ${firstLine(file.message)}`);
    tally.passed += report.numPassedTests;
    tally.failed += report.numFailedTests;
    tally.skipped += report.numPendingTests + report.numTodoTests;
    // A failed test fails the step even if the runner's exit code says otherwise (seen once: vitest
    // exited 0 with a failed test in its report, and the run was called green).
    if (report.numFailedTests > 0 && code === 0) return 1;
  } else if (code !== 0) tally.failed += 1;
  return code;
}

async function playwright(reportDir: string): Promise<number> {
  const database = await createTestDatabase("e2e");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookrelay-e2e-"));
  try {
    buildIfNeeded(root, (l) => console.log(`[test] ${l}`));
    const chromium = await chooseChromium();
    console.log(`[test] Chromium: ${chromium.source}`);
    const out = path.join(reportDir, "playwright.json");
    const code = await run(bin("playwright"), ["test", ...extra], {
      E2E_CHROMIUM_PATH: chromium.executablePath,
      E2E_CHROMIUM_ARGS: JSON.stringify(chromium.args),
      E2E_DATABASE_URL: database.url,
      E2E_PORT: String(await freePort()),
      E2E_DATA_DIR: dataDir,
      PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    });
    const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number }; suites: PlaywrightSuite[] }>(out);
    if (report) {
      failures.push(...playwrightFailures(report.suites));
      tally.passed += report.stats.expected + report.stats.flaky;
      tally.failed += report.stats.unexpected;
      tally.skipped += report.stats.skipped;
      if (report.stats.unexpected > 0 && code === 0) return 1;
    } else if (code !== 0) tally.failed += 1;
    return code;
  } finally {
    await database.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const started = Date.now();
  const reportDir = mkdtempSync(path.join(os.tmpdir(), "hookrelay-reports-"));
  const results: boolean[] = [];
  const want = (part: string) => !only || only === part;
  if (want("static")) {
    results.push(await step("type-check", () => run(bin("tsc"), ["--noEmit"])));
    results.push(await step("lint", () => run(bin("eslint"), ["--max-warnings=0", "."])));
  }
  if (want("unit")) results.push(await step("unit and integration tests (vitest)", () => vitest(reportDir)));
  if (want("e2e")) results.push(await step("end-to-end tests (playwright, chromium)", () => playwright(reportDir)));
  rmSync(reportDir, { recursive: true, force: true });
  const ok = results.every(Boolean);
  if (failures.length > 0) log(`failed tests:\n${failures.map((f) => `  ✘ ${f}`).join("\n")}`);
  log(`${ok ? "all green" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // The plain closing line CI reads.
  // A failed step without failed tests (type errors, lint) still counts as a failure.
  const failed = tally.failed || (ok ? 0 : results.filter((r) => !r).length);
  console.log(`${tally.passed} passed, ${failed} failed, ${tally.skipped} skipped`);
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
