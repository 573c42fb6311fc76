import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { expect, signIn, test } from "./fixtures";
import { startStatementRecorder, type Statement } from "./pg-statements";

/**
 * The endpoint layout and each of its pages need the endpoint, and every layout above them checks
 * the membership: one render must read each once (React `cache`, lib/endpoints/lookup.ts and
 * lib/auth/session.ts). Counted on the wire: a second server of the same build, alone on a
 * statement recorder in front of the test database, renders each page for one plain GET.
 */

const root = path.resolve(import.meta.dirname, "..");
const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;
const PAGES = ["", "/attempts", "/testing", "/activity", "/edit"];

const reads = (table: string) => new RegExp(`\\bFROM\\s+(?:"public"\\.)?"${table}"(?![\\w"])`);
/** Reads of the Endpoint table that name this endpoint: getEndpoint, whatever SQL Prisma writes for it. */
const endpointReads = (statements: Statement[], endpointId: string) => statements.filter((s) => reads("Endpoint").test(s.sql) && s.params.includes(endpointId));
/** Reads of the user's membership of this organization (memberOf); the organization switcher's list of all of them is another query. */
const membershipReads = (statements: Statement[], userId: string, orgSlug: string) =>
  statements.filter((s) => reads("Membership").test(s.sql) && s.params.includes(userId) && s.params.includes(orgSlug));

async function startServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const keyFile = path.join(process.env.E2E_DATA_DIR ?? ".data/e2e", "encryption.secret");
  const server = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/serve.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-test",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      AUTH_TRUST_HOST: "true",
      // The main server's key, so both read the same signing secrets.
      APP_ENCRYPTION_KEY: existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : randomBytes(32).toString("base64"),
    },
  });
  let output = "";
  server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the second server exited: ${output}`);
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (up) return server;
    if (Date.now() > deadline) throw new Error(`the second server did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

test.describe("endpoint screens", () => {
  test("one render of the endpoint layout and a page reads the endpoint once and the membership once", async ({ page, data }) => {
    const databaseUrl = process.env.E2E_DATABASE_URL;
    if (!databaseUrl) throw new Error("E2E_DATABASE_URL is not set");
    const recorder = await startStatementRecorder(databaseUrl);
    const port = await freePort();
    const server = await startServer(recorder.url, port);
    try {
      const base = `http://127.0.0.1:${port}`;
      const org = await data.createOrg({ webhooksEnabled: true });
      const owner = await data.member(org.slug, "OWNER");
      await signIn(page, owner, `${base}${webhooks(org.slug)}/endpoints/new`);
      await page.getByLabel("Endpoint URL").fill("https://reads.example.test/hooks");
      await page.getByRole("checkbox", { name: "Select all" }).click();
      await page.getByRole("button", { name: "Create endpoint" }).click();
      await expect(page.getByRole("heading", { name: "https://reads.example.test/hooks" })).toBeVisible();
      const endpointId = /\/endpoints\/(ep_[A-Za-z0-9]+)/.exec(page.url())?.[1];
      expect(endpointId).toBeTruthy();
      // Nothing in the browser may call the server while the reads are counted (prefetches, polling).
      await page.goto("about:blank");
      // A request the page sent before leaving (a refresh after the create, a prefetch) may still be
      // reading: wait until the database has been quiet for a moment, so its reads are not counted.
      for (let quietFor = 0, waited = 0; quietFor < 1_000 && waited < 30_000; waited += 250) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        quietFor = recorder.take().length === 0 ? quietFor + 250 : 0;
      }

      for (const tab of PAGES) {
        recorder.take();
        // A plain GET renders the layouts and the page once: no prefetches, no client refreshes.
        const response = await page.request.get(`${base}${webhooks(org.slug)}/endpoints/${endpointId}${tab}`);
        expect(response.status(), tab || "overview").toBe(200);
        expect(await response.text()).toContain("https://reads.example.test/hooks");
        const statements = recorder.take();
        expect(endpointReads(statements, endpointId!).length, `endpoint reads of ${tab || "overview"}`).toBe(1);
        expect(membershipReads(statements, owner.id, org.slug).length, `membership reads of ${tab || "overview"}`).toBe(1);
      }
    } finally {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once("exit", resolve));
        server.kill("SIGTERM");
        await exited;
      }
      await recorder.close();
    }
  });
});
