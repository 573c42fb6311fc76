/**
 * The dashboard's API reference page (issue 21): the size of its first HTML (the document response,
 * signed in) and the server's time to send all of it, p50 / p95 over N fetches; the same for a
 * trivial dashboard page (`/account`) in the same run, for the ratio we track. Then the time from
 * navigation until each page's heading is visible in Chromium (playwright-core), over M loads.
 * The size of every section's page (`?section=`) is printed too: the largest is the budget's case;
 * and what opening the largest operation costs (its tables, fetched from the page's route).
 *
 *   npm run bench:api-reference              N = 30 fetches and M = 10 browser loads per page
 *   npm run bench:api-reference -- 60 20     other counts (at most 200 and 50)
 *
 * Setup: the real app as `npm start` runs it (production build in .next-test, a throwaway
 * PostgreSQL, the demo seed's admin, signed in over HTTP). Every loop is bounded in count, the whole
 * run by DEADLINE_MS, and everything stops by itself.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { Agent, request } from "undici";
import { referenceSections, type OperationView } from "@/lib/api/v1/reference";
import { openApiDocument } from "@/lib/api/v1/registry";
import { apiReferenceOperationPath } from "@/lib/routes";
import { buildIfNeeded } from "@/scripts/lib/build";
import { chooseChromium } from "@/scripts/lib/chromium";
import { createTestDatabase, freePort } from "@/scripts/lib/test-database";

const [reps, loads] = [30, 10].map((d, i) => Math.max(1, Math.min(Number(process.argv[2 + i] ?? d) || d, [200, 50][i]!)));
const WARMUP = 3;
const DEADLINE_MS = 10 * 60_000;
const ORG = "acme";
const ADMIN = { email: "admin@acme.test", password: randomBytes(12).toString("hex") };
const root = path.resolve(import.meta.dirname, "..");
const log = (line: string) => console.log(`[bench] ${line}`);

interface Page {
  label: string;
  path: string;
  heading: string;
}

const PAGES: Page[] = [
  { label: "API reference", path: `/${ORG}/settings/api-reference`, heading: "API reference" },
  { label: "trivial page (/account)", path: "/account", heading: "Your account" },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** The session cookie, as a browser gets it: CSRF token first, then the credentials callback. */
async function signIn(appUrl: string, agent: Agent): Promise<{ name: string; value: string }[]> {
  const jar = new Map<string, string>();
  const keep = (headers: Record<string, string | string[] | undefined>) => {
    const lines = headers["set-cookie"];
    for (const line of Array.isArray(lines) ? lines : lines ? [lines] : []) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await request(`${appUrl}/api/auth/csrf`, { dispatcher: agent });
  keep(csrf.headers);
  const { csrfToken } = (await csrf.body.json()) as { csrfToken: string };
  const answer = await request(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    dispatcher: agent,
    headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password }).toString(),
  });
  keep(answer.headers);
  await answer.body.text();
  if (![...jar.keys()].some((name) => name.includes("session-token"))) throw new Error(`sign-in failed (answered ${answer.statusCode})`);
  return [...jar].map(([name, value]) => ({ name, value }));
}

async function main() {
  process.env.NEXT_DIST_DIR = ".next-test";
  const database = await createTestDatabase("bench_apiref");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookrelay-bench-"));
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  buildIfNeeded(root, log);
  // Node loads tsx itself, so the child is the start script and SIGTERM reaches it (and its server).
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, AUTH_SECRET: randomBytes(32).toString("hex"), NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise((r) => server.once("exit", r));
  const deadline = setTimeout(() => {
    console.error(`[bench] stopped after ${DEADLINE_MS / 60_000} min`);
    server.kill("SIGTERM");
    void exited.finally(() => process.exit(1));
  }, DEADLINE_MS);
  deadline.unref();
  const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  let browser: Browser | undefined;
  try {
    for (let i = 0; ; i++) {
      const ok = await request(`${appUrl}/api/health`, { dispatcher: agent }).then((r) => r.body.text().then(() => r.statusCode === 200)).catch(() => false);
      if (ok) break;
      if (i > 600) throw new Error("the app did not start");
      await new Promise((r) => setTimeout(r, 200));
    }
    const cookies = await signIn(appUrl, agent);
    const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join("; ");

    async function fetchDocument(pathname: string): Promise<{ bytes: number; ms: number }> {
      const started = performance.now();
      const res = await request(`${appUrl}${pathname}`, { dispatcher: agent, headers: { cookie: cookieHeader } });
      const body = Buffer.from(await res.body.arrayBuffer());
      const elapsed = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`GET ${pathname} answered ${res.statusCode}`);
      return { bytes: body.length, ms: elapsed };
    }

    const served = new Map<string, { bytes: number; p50: number; p95: number }>();
    for (const page of PAGES) {
      for (let i = 0; i < WARMUP; i++) await fetchDocument(page.path);
      const runs: { bytes: number; ms: number }[] = [];
      for (let i = 0; i < reps; i++) runs.push(await fetchDocument(page.path));
      const bytes = Math.max(...runs.map((r) => r.bytes));
      const time = summary(runs.map((r) => r.ms));
      served.set(page.label, { bytes, ...time });
      log(`${page.label}: first HTML ${kb(bytes)} (largest of ${reps}), server time p50 ${ms(time.p50)}, p95 ${ms(time.p95)}`);
    }

    // Opening an operation fetches its tables: the price is paid then, for the largest operation here.
    const sections = referenceSections(openApiDocument());
    const rowsOf = (op: OperationView) => op.parameters.reduce((n, g) => n + g.fields.length, 0) + (op.body?.fields.length ?? 0) + (op.success.body?.fields.length ?? 0);
    const largestOp = sections.flatMap((s) => s.operations).reduce((a, b) => (rowsOf(b) > rowsOf(a) ? b : a));
    const tablesPath = apiReferenceOperationPath(ORG, largestOp.anchor);
    for (let i = 0; i < WARMUP; i++) await fetchDocument(tablesPath);
    const tableRuns: { bytes: number; ms: number }[] = [];
    for (let i = 0; i < reps; i++) tableRuns.push(await fetchDocument(tablesPath));
    const tables = { bytes: tableRuns[0]!.bytes, ...summary(tableRuns.map((r) => r.ms)) };
    log(`opening ${largestOp.operationId} (${rowsOf(largestOp)} table rows): ${kb(tables.bytes)} of JSON, p50 ${ms(tables.p50)}, p95 ${ms(tables.p95)}`);

    const bySection = [];
    for (const section of sections) bySection.push({ tag: section.tag, ...(await fetchDocument(`${PAGES[0]!.path}?section=${section.anchor}`)) });
    const largest = bySection.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    log(`every section's page: ${bySection.map((s) => `${s.tag} ${kb(s.bytes)}`).join(", ")}`);

    const { executablePath, args } = await chooseChromium();
    browser = await chromium.launch({ executablePath, args });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies(cookies.map((c) => ({ ...c, url: appUrl })));
    const tab = await context.newPage();
    const headingTimes = new Map<string, { p50: number; p95: number }>();
    for (const page of PAGES) {
      const heading = tab.getByRole("heading", { name: page.heading, level: 1, exact: true });
      const times: number[] = [];
      // The first load fills the browser's cache of scripts and styles, as any later visit finds it.
      for (let i = 0; i <= loads; i++) {
        const started = performance.now();
        await tab.goto(`${appUrl}${page.path}`, { waitUntil: "commit" });
        await heading.waitFor({ state: "visible", timeout: 60_000 });
        if (i > 0) times.push(performance.now() - started);
        await tab.waitForLoadState("load");
      }
      const time = summary(times);
      headingTimes.set(page.label, time);
      log(`${page.label}: heading visible in Chromium p50 ${ms(time.p50)}, p95 ${ms(time.p95)} (${loads} loads)`);
    }
    await context.close();

    const [reference, trivial] = PAGES.map((p) => ({ served: served.get(p.label)!, heading: headingTimes.get(p.label)! }));
    console.log(`\n| measure | API reference | trivial page (/account) | ratio |\n| --- | --- | --- | --- |`);
    console.log(`| first HTML | ${kb(reference!.served.bytes)} | ${kb(trivial!.served.bytes)} | ${(reference!.served.bytes / trivial!.served.bytes).toFixed(2)} |`);
    console.log(`| server time p50 / p95 (${reps} fetches) | ${ms(reference!.served.p50)} / ${ms(reference!.served.p95)} | ${ms(trivial!.served.p50)} / ${ms(trivial!.served.p95)} | ${(reference!.served.p50 / trivial!.served.p50).toFixed(2)} / ${(reference!.served.p95 / trivial!.served.p95).toFixed(2)} |`);
    console.log(`| heading visible p50 / p95 (${loads} loads) | ${ms(reference!.heading.p50)} / ${ms(reference!.heading.p95)} | ${ms(trivial!.heading.p50)} / ${ms(trivial!.heading.p95)} | ${(reference!.heading.p50 / trivial!.heading.p50).toFixed(2)} / ${(reference!.heading.p95 / trivial!.heading.p95).toFixed(2)} |`);
    console.log(`| largest section's first HTML (${largest.tag}) | ${kb(largest.bytes)} | | |`);
    console.log(`| opening ${largestOp.operationId}: its tables (${rowsOf(largestOp)} rows) | ${kb(tables.bytes)}, p50 ${ms(tables.p50)} / p95 ${ms(tables.p95)} | | |`);
    console.log(`\nload average: ${os.loadavg().map((x) => x.toFixed(2)).join(", ")}`);
  } finally {
    await browser?.close();
    clearTimeout(deadline);
    server.kill("SIGTERM");
    await exited;
    await agent.close();
    await database.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
