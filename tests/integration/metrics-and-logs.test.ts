import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleOperation } from "@/lib/api/v1/handle";
import { defineOperation } from "@/lib/api/v1/operation";
import { operations } from "@/lib/api/v1/registry";
import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { currentSigningSecret } from "@/lib/endpoints/secrets";
import { createLogger, currentRequestId, inRequest, loggerFor, requestIdFrom, withRequest } from "@/lib/observability/log";
import { ERROR_KINDS, OUTCOMES, STATUS_CLASSES } from "@/lib/observability/metrics";
import { RUN_STATES } from "@/lib/observability/metrics-db";
import { metricsEndpoint } from "@/lib/observability/metrics-endpoint";
import { sendTestMessage } from "@/lib/messages/send-test";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { EMBEDDED_DATABASE } from "@/scripts/lib/server/bootstrap";
import { urlFor } from "@/scripts/lib/server/embedded-postgres";
import { freePort } from "@/scripts/lib/test-database";
import { contractCreated, orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * Issue 25, items 1 and 3: `GET /metrics` and the logs. The access rules and the log format are
 * checked in this process; the counters are checked on a whole `npm start` (its own embedded
 * PostgreSQL, two executor processes, `next dev` to spare a build) that the test sends real
 * messages to, with receivers that succeed, answer 500 and refuse the connection. That instance
 * runs nothing else, so its counters move by exactly what the test sent; they are still read
 * before and after. Its whole output is then searched for every secret the test used.
 */

const root = path.resolve(import.meta.dirname, "../..");
const TOKEN = "metrics-token-4f9c2a7e1b3d5f60";
setTestEncryptionKey();

// ---------------------------------------------------------------------------------------------
// Prometheus's text format, read back

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Series[] {
  const series: Series[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[name!] = value!;
    series.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return series;
}

/** The sum over every process of the series of `name` whose labels include `labels`. */
function total(series: Series[], name: string, labels: Record<string, string> = {}): number {
  return series.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

// ---------------------------------------------------------------------------------------------

describe("GET /metrics access", () => {
  let server: http.Server | undefined;
  afterAll(() => server?.close());

  async function serve(token: string | null): Promise<string> {
    server?.close();
    const handle = metricsEndpoint({ token, gather: async () => [[{ name: "hookrelay_probe_total", help: "probe", type: "counter", values: [{ value: 3, labels: {} }], aggregator: "sum" }]] });
    server = http.createServer((req, res) => {
      if (!handle(req, res)) res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("answers 404 while METRICS_TOKEN is unset, whatever the request carries", async () => {
    const url = await serve(null);
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    // Only /metrics is taken; every other path is left to Next.
    expect((await fetch(`${url}/metricsx`)).status).toBe(418);
  });

  it("answers 401 without the token or with another one, and the metrics with it", async () => {
    const url = await serve(TOKEN);
    const without = await fetch(`${url}/metrics`);
    expect(without.status).toBe(401);
    expect(without.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await without.text()).not.toContain("hookrelay_probe_total");
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, "Bearer "]) {
      expect((await fetch(`${url}/metrics`, { headers: { authorization } })).status, authorization).toBe(401);
    }
    const ok = await fetch(`${url}/metrics?x=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await ok.text()).toContain("hookrelay_probe_total 3");
    expect((await fetch(`${url}/metrics`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
  });

  it("answers only GET and HEAD with the token: HEAD gets 200 without a body, other methods 405", async () => {
    const url = await serve(TOKEN);
    const authorization = `Bearer ${TOKEN}`;
    const head = await new Promise<{ status: number; contentType: string | undefined; body: string }>((resolve, reject) => {
      const req = http.request(`${url}/metrics`, { method: "HEAD", headers: { authorization } }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"], body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(head).toMatchObject({ status: 200, body: "" });
    expect(head.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await fetch(`${url}/metrics`, { method: "HEAD" })).status).toBe(401);
    for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const res = await fetch(`${url}/metrics`, { method, headers: { authorization } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD");
    }
  });
});

describe("logs", () => {
  function capture(format: "json" | "pretty") {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    });
    return { logger: createLogger({ format, level: "info" }, destination), lines };
  }

  it("writes one JSON object per line, with the request id on every line logged while a request is handled", async () => {
    const { logger, lines } = capture("json");
    const child = logger.child({}, { msgPrefix: "[api] " });
    logger.info("before");
    await withRequest("req_test_0001", async () => {
      child.info("first");
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.warn({ operation: "v1.message.create" }, "second, after an await");
    });
    logger.info("after");
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.map((l) => [l.msg, l.requestId])).toEqual([
      ["before", undefined],
      ["[api] first", "req_test_0001"],
      ["second, after an await", "req_test_0001"],
      ["after", undefined],
    ]);
    expect(parsed[2]).toMatchObject({ level: 40, operation: "v1.message.create" });
  });

  it("keeps a client's well-formed X-Request-Id and makes one otherwise", () => {
    expect(requestIdFrom("abc-123_DEF.456")).toBe("abc-123_DEF.456");
    for (const sent of [null, "", "short", "has space in it", "x".repeat(200), "new\nline-injected"]) {
      expect(requestIdFrom(sent)).toMatch(/^req_[0-9a-f]{32}$/);
    }
    expect(requestIdFrom(null)).not.toBe(requestIdFrom(null));
  });

  it("gives a request without a usable X-Request-Id one id, made when first needed and kept to the end", async () => {
    expect(inRequest()).toBe(false);
    expect(currentRequestId()).toBeUndefined();
    const seen = await Promise.all(
      [null, "bad id"].map((header) =>
        withRequest(header, async () => {
          expect(inRequest()).toBe(true);
          const first = currentRequestId();
          await new Promise((resolve) => setTimeout(resolve, 5));
          expect(currentRequestId()).toBe(first);
          return first;
        }),
      ),
    );
    for (const id of seen) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(seen[0]).not.toBe(seen[1]);
  });

  it("shares one request context between copies of the module (the server script's and the one Next bundles), so a request runs in one", async () => {
    vi.resetModules();
    const copy = await import("@/lib/observability/log");
    vi.resetModules();
    const other = await import("@/lib/observability/log");
    expect(copy.withRequest).not.toBe(other.withRequest);
    await copy.withRequest("client-req-0077", async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(other.inRequest()).toBe(true);
      expect(other.currentRequestId()).toBe("client-req-0077");
      expect(currentRequestId()).toBe("client-req-0077");
    });
  });

  it("carries the client's X-Request-Id on every line an API call logs, however deep, and does not echo it in the answer", async () => {
    const { logger, lines } = capture("json");
    const KEY = Symbol.for("hookrelay.logger");
    const holder = globalThis as typeof globalThis & { [KEY]?: unknown };
    const previous = holder[KEY];
    holder[KEY] = logger;
    try {
      // A handler that logs after an await and then fails: the pipeline logs the failure too.
      const op = defineOperation({
        method: "GET",
        path: "/api/v1/log-probe",
        operationId: "v1.test.logProbe",
        tag: "Health",
        summary: "probe",
        access: "public",
        response: { status: 204, description: "never" },
        handler: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          loggerFor("[outbox]").info("deep in the handler");
          throw new Error("probe failure");
        },
      });
      const res = await handleOperation(op, new Request("http://127.0.0.1/api/v1/log-probe", { headers: { "x-request-id": "client-req-0042" } }), {});
      expect(res.status).toBe(500);
      expect(res.headers.get("x-request-id")).toBeNull();
      expect(await res.text()).not.toContain("client-req-0042");
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(parsed.map((l) => [l.msg, l.requestId])).toEqual([
        ["[outbox] deep in the handler", "client-req-0042"],
        ["[api] GET /api/v1/log-probe failed", "client-req-0042"],
      ]);
    } finally {
      holder[KEY] = previous;
    }
  });

  it("censors secret-looking fields if one is ever logged", () => {
    const { logger, lines } = capture("json");
    logger.info({ authorization: "Bearer sk_live_x", headers: { cookie: "a=b" }, endpoint: { secret: "whsec_x", id: "ep_1" }, payload: { card: "4242" } }, "oops");
    const [line] = lines;
    expect(line).not.toMatch(/sk_live_x|a=b|whsec_x|4242/);
    expect(JSON.parse(line!)).toMatchObject({ authorization: "[redacted]", headers: "[redacted]", endpoint: { secret: "[redacted]", id: "ep_1" }, payload: "[redacted]" });
  });
});

// ---------------------------------------------------------------------------------------------

/** After a failed run: PostgreSQL has a process group of its own, so the group's SIGKILL missed it. */
function killPostgres(dataDir: string) {
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (!existsSync(pidFile)) return;
  try {
    process.kill(Number(readFileSync(pidFile, "utf8").split("\n")[0]), "SIGINT");
  } catch {
    // Already gone.
  }
}

describe("an npm start instance's /metrics and logs after real deliveries", () => {
  const MESSAGES = 4;
  const PROCESSES = 2;
  const ADMIN_PASSWORD = "admin-password-9d1e7c3b";
  const HEADER_SECRET = "custom-header-secret-5a8b1c9e";
  const PAYLOAD_MARKER = "ctr_PayloadMarker3e7d9f1a";
  const WRONG_KEY = "sk_wrongkey0123456789abcdefghijklmnop";

  let ok: Receiver;
  let failing: Receiver;
  let child: ChildProcess | undefined;
  let output = "";
  let dataDir = "";
  let port = 0;

  beforeAll(async () => {
    ok = await startReceiver();
    failing = await startReceiver({ mode: { kind: "status", status: 500 } });
    dataDir = mkdtempSync(path.join(os.tmpdir(), "hookrelay-metrics-"));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
    chmodSync(dataDir, 0o755);
    const pgPort = await freePort();
    port = await freePort();
    child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/start.ts"), "--dev"], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        NODE_ENV: "development",
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        PORT: String(port),
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(pgPort),
        APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY,
        ADMIN_PASSWORD,
        METRICS_TOKEN: TOKEN,
        WEBHOOK_RETRY_SCHEDULE: "1s",
        WEBHOOK_ATTEMPT_TIMEOUT_MS: "10000",
        NEXT_TELEMETRY_DISABLED: "1",
        EXECUTOR_PROCESSES: String(PROCESSES),
      },
    });
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    await waitFor("the server and both executor processes to start", async () => output.includes(`listening on port ${port}`) && output.includes("[worker 1] worker"), 90_000, 100);
    process.env.DATABASE_URL = urlFor(pgPort, EMBEDDED_DATABASE);
  }, 120_000);

  afterAll(async () => {
    await db.$disconnect();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      process.kill(-child.pid!, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid!, "SIGKILL");
        killPostgres(dataDir);
      }
    }
    await ok?.close();
    await failing?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const scrape = async (authorization: string | null = `Bearer ${TOKEN}`) => fetch(`http://127.0.0.1:${port}/metrics`, { headers: authorization ? { authorization } : {} });
  const read = async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  };

  it(
    "counts exactly what was sent: messages, attempts by outcome, error kind and status class, finished deliveries, latencies and API calls; labels stay within fixed sets; no secret reaches the logs",
    async () => {
      expect((await scrape(null)).status).toBe(401);
      expect((await scrape("Bearer not-the-token-at-all")).status).toBe(401);

      const { org, endpointId: okEndpoint, actor } = await orgWithEndpoint(`${ok.url}/hook`, { headers: [{ name: "X-Custom-Auth", value: HEADER_SECRET }] });
      const failingEndpoint = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `${failing.url}/hook`, eventTypes: ["contract.created"], rateLimit: "" }), actor);
      // Nothing listens there: the connection is refused.
      const closedPort = await freePort();
      const refusedEndpoint = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `http://127.0.0.1:${closedPort}/hook`, eventTypes: ["contract.created"], rateLimit: "" }), actor);
      if (!failingEndpoint.ok || !refusedEndpoint.ok) throw new Error("endpoints not created");
      const signingSecret = await currentSigningSecret(okEndpoint);
      const { key } = await createApiKey({ name: "metrics test", scope: "ORGANIZATION", organizationId: org.id, createdById: actor.id });
      const endpoints = 3;

      // Every payload carries the marker the logs must never show.
      const marked = (n: number) => {
        const message = contractCreated(n);
        return { ...message, payload: { ...message.payload, contract: { ...(message.payload.contract as Record<string, unknown>), id: PAYLOAD_MARKER } } };
      };
      const before = await read();
      // A test send from the endpoint's Testing tab goes through the same executor but is not
      // traffic: no attempt, finished delivery or first-attempt delay of it is counted. Sent and
      // delivered before the API's messages, so that a count of it would be in the final read.
      const testSend = await sendTestMessage(org, okEndpoint, marked(0));
      if (!testSend.ok) throw new Error(`test send refused: ${testSend.message}`);
      await waitFor("the test send delivered", async () => (await db.delivery.findUnique({ where: { id: testSend.deliveryId } }))?.status === "SUCCEEDED", 60_000, 100);
      const send = (n: number, authorization = `Bearer ${key}`) => {
        return fetch(`http://127.0.0.1:${port}/api/v1/app/${org.slug}/msg`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization },
          body: JSON.stringify(marked(n)),
        });
      };
      // `next dev` compiles the route at its first call.
      const first = await waitFor("the API to take the first message", () => send(1).catch(() => undefined), 90_000, 200);
      expect(first.status).toBe(202);
      for (let n = 2; n <= MESSAGES; n++) expect((await send(n)).status).toBe(202);
      expect((await send(99, `Bearer ${WRONG_KEY}`)).status).toBe(401);

      // Every delivery ends: the 500s and refusals after their two attempts (WEBHOOK_RETRY_SCHEDULE=1s).
      await ok.waitForRequests(MESSAGES + 1, 60_000);
      await failing.waitForRequests(MESSAGES * 2, 60_000);
      await waitFor(
        "every delivery to end",
        async () => (await db.delivery.count({ where: { organizationId: org.id, status: { in: ["SUCCEEDED", "FAILED"] } } })) === MESSAGES * endpoints + 1, // and the test send's
        60_000,
        100,
      );
      // The attempt is counted once its statement returned, a moment after the database shows it.
      const expectedAttempts = MESSAGES * (1 + 2 + 2);
      const name = "hookrelay_delivery_attempts_total";
      const after = await waitFor("the counters to catch up", async () => {
        const now = await read();
        return total(now, name) - total(before, name) >= expectedAttempts && now;
      }, 10_000, 100);
      const moved = (metric: string, labels: Record<string, string> = {}) => total(after, metric, labels) - total(before, metric, labels);

      expect(moved("hookrelay_messages_accepted_total")).toBe(MESSAGES);
      expect(moved(name)).toBe(expectedAttempts);
      expect(moved(name, { outcome: "succeeded", error_kind: "none", status_class: "2xx" })).toBe(MESSAGES);
      expect(moved(name, { outcome: "failed", error_kind: "http_status", status_class: "5xx" })).toBe(MESSAGES * 2);
      expect(moved(name, { outcome: "failed", error_kind: "connection_refused", status_class: "none" })).toBe(MESSAGES * 2);
      expect(moved("hookrelay_deliveries_finished_total", { outcome: "succeeded" })).toBe(MESSAGES);
      expect(moved("hookrelay_deliveries_finished_total", { outcome: "failed" })).toBe(MESSAGES * 2);
      expect(moved("hookrelay_delivery_attempt_duration_seconds_count", { outcome: "succeeded" })).toBe(MESSAGES);
      expect(moved("hookrelay_delivery_attempt_duration_seconds_count", { outcome: "failed" })).toBe(MESSAGES * 4);
      expect(moved("hookrelay_delivery_first_attempt_delay_seconds_count")).toBe(MESSAGES * endpoints);
      expect(moved("hookrelay_api_requests_total", { operation: "v1.message.create", status_class: "2xx" })).toBe(MESSAGES);
      expect(moved("hookrelay_api_requests_total", { operation: "v1.message.create", status_class: "4xx" })).toBe(1);
      // The attempts were made by the executor processes, the API calls answered by the server.
      expect(total(after, name, { process: "server" }) - total(before, name, { process: "server" })).toBe(0);
      expect(moved("hookrelay_api_requests_total", { process: "server" })).toBe(MESSAGES + 1);
      // Database gauges: everything ended, nothing is due or waiting.
      expect(total(after, "hookrelay_metrics_database_up")).toBe(1);
      expect(total(after, "hookrelay_delivery_retries_pending")).toBe(0);
      expect(after.filter((s) => s.name === "hookrelay_executor_runs").map((s) => s.labels.state)).toEqual([...RUN_STATES]);
      // Per-process CPU and memory of every process.
      const processes = ["server", ...Array.from({ length: PROCESSES }, (_, n) => `executor-${n}`)];
      expect(after.filter((s) => s.name === "hookrelay_process_resident_memory_bytes").map((s) => s.labels.process).sort()).toEqual(processes.sort());

      // Labels: every value of a product label from its fixed set; no id of any kind as a value.
      const allowed: Record<string, ReadonlySet<string>> = {
        process: new Set(processes),
        outcome: new Set(OUTCOMES),
        error_kind: new Set(ERROR_KINDS),
        status_class: new Set(STATUS_CLASSES),
        operation: new Set(operations.map((op) => op.operationId)),
        state: new Set(RUN_STATES),
      };
      // Labels of prom-client's process metrics (Node's own small sets) and the histograms' bucket bound.
      const runtime = new Set(["le", "kind", "type", "space", "version", "major", "minor", "patch"]);
      for (const s of after) {
        expect(s.name).toMatch(/^hookrelay_/);
        for (const [label, value] of Object.entries(s.labels)) {
          if (allowed[label]) expect(allowed[label].has(value), `${s.name}{${label}="${value}"}`).toBe(true);
          else expect(runtime.has(label), `${s.name} has label ${label}`).toBe(true);
          expect(value).not.toMatch(/^(org|ep|msg|dlv|atmpt|app|key|sk|whsec)_/);
          expect(value).not.toContain(org.slug);
        }
      }

      // The logs: the whole instance's output, with every secret and the payload this test used.
      expect(output).toContain("[hookrelay] listening on port");
      const secrets = { apiKey: key, wrongKey: WRONG_KEY, signingSecret: signingSecret!, signingKey: signingSecret!.replace(/^whsec_/, ""), header: HEADER_SECRET, payload: PAYLOAD_MARKER, metricsToken: TOKEN, adminPassword: ADMIN_PASSWORD, encryptionKey: process.env.APP_ENCRYPTION_KEY! };
      for (const [what, secret] of Object.entries(secrets)) expect(output.includes(secret), `${what} appears in the logs`).toBe(false);
      // The check is not vacuous: the receivers did get the secrets the logs must not show.
      expect(ok.requests[0]!.headers["x-custom-auth"]).toBe(HEADER_SECRET);
      expect(ok.requests[0]!.body.toString()).toContain(PAYLOAD_MARKER);
    },
    240_000,
  );

  // After the test above, so that the labelled counters have series (a counter with labels has none before its first increment).
  it("has a series for every hookrelay_ metric the README's alert rules and production notes name", async () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Metrics and what to alert on"), readme.indexOf("### Traces"));
    const rules = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    expect(rules).toContain("alert: HookRelayBacklogStuck");
    const named = new Set(section.match(/hookrelay_[a-z_]+[a-z]/g) ?? []);
    expect(named.size).toBeGreaterThanOrEqual(8);
    const scraped = new Set((await read()).map((s) => s.name));
    for (const name of named) expect(scraped.has(name), `${name} is in a scrape`).toBe(true);
  }, 30_000);
});
