import type { ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

/**
 * OpenTelemetry traces (lib/observability/tracing.ts) end to end, into an OTLP/HTTP collector in
 * this process (JSON bodies, 127.0.0.1). This process is the API server (both ways a message.create
 * call is answered: Next's route handler and the plain Node path of scripts/serve.ts, traced by
 * its own SDK); a real `npm run worker` process, traced by its own, makes the deliveries. Each
 * message must come out as one connected trace: API span → `deliver` span in the executor process
 * (continued from the traceparent stored with the event) → `POST` span, whose context the receiver
 * gets as `traceparent`.
 *
 * Tracing is read once when tracing.ts loads, so the collector starts and the environment is set
 * before any module of the app is imported (hence the dynamic imports).
 */

interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  status: number;
  attributes: Record<string, unknown>;
  /** The path the collector received the span's export on. */
  path: string;
}

const otlpAttribute = (value: Record<string, unknown>): unknown => value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
/** OTLP/JSON ids are hex; accept base64 too (protobuf-style JSON), as a collector does. */
const hexId = (id: unknown): string => (typeof id !== "string" || id === "" ? "" : /^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, "base64").toString("hex"));

const spans: CollectedSpan[] = [];
const exports: string[] = [];
const collector = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    exports.push(`${req.method} ${req.url} ${req.headers["content-type"]}`);
    type Body = { resourceSpans?: { resource?: { attributes?: { key: string; value: Record<string, unknown> }[] }; scopeSpans?: { spans?: Record<string, unknown>[] }[] }[] };
    const body = JSON.parse(text) as Body;
    for (const rs of body.resourceSpans ?? []) {
      const service = String(otlpAttribute(rs.resource?.attributes?.find((a) => a.key === "service.name")?.value ?? {}) ?? "");
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          const attributes = Object.fromEntries(((s.attributes ?? []) as { key: string; value: Record<string, unknown> }[]).map((a) => [a.key, otlpAttribute(a.value)]));
          const status = Number((s.status as { code?: unknown } | undefined)?.code ?? 0);
          spans.push({ service, traceId: hexId(s.traceId), spanId: hexId(s.spanId), parentSpanId: hexId(s.parentSpanId), name: String(s.name), kind: Number(s.kind), status, attributes, path: String(req.url) });
        }
      }
    }
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
const OTEL_ENV = { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_BSP_SCHEDULE_DELAY: "50" };
Object.assign(process.env, OTEL_ENV);

const { tracingEnabled } = await import("@/lib/observability/tracing");
const { startTracing } = await import("@/lib/observability/tracing-sdk");
const { inngest } = await import("@/inngest/client");
const { createApiKey } = await import("@/lib/api-keys/manage");
const { plainApiHandler } = await import("@/lib/api/v1/node");
const { operations, route } = await import("@/lib/api/v1/registry");
const { configHeaders } = await import("@/lib/http/config-headers");
const { db } = await import("@/lib/db");
const { contractCreated, orgWithEndpoint } = await import("@/tests/helpers/delivery-harness");
const { createExecutorDatabase, spawnWorker, startTestApp, TEST_EXECUTOR_KEY, waitFor } = await import("@/tests/helpers/executor-harness");
const { startReceiver } = await import("@/tests/helpers/receiver");
const { ensureCatalog, setTestEncryptionKey } = await import("@/tests/helpers/webhooks-factories");

const COLD_MS = 60_000;

let database: Awaited<ReturnType<typeof createExecutorDatabase>>;
let app: Awaited<ReturnType<typeof startTestApp>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let plainServer: http.Server;
let plainUrl: string;
let worker: ChildProcess | undefined;
let stopTracing: () => Promise<void>;

beforeAll(async () => {
  setTestEncryptionKey();
  stopTracing = await startTracing("hookrelay-test-api");
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "tracing");
  process.env.DATABASE_URL = database.url;
  await ensureCatalog();
  app = await startTestApp({ port: Number(process.env.TEST_APP_PORT), client: inngest, functions: [], pool: database.pool });
  receiver = await startReceiver({ mode: { kind: "status", status: 200 } });
  const create = operations.find((op) => op.operationId === "v1.message.create")!;
  plainServer = http.createServer();
  await new Promise<void>((resolve) => plainServer.listen(0, "127.0.0.1", resolve));
  const port = (plainServer.address() as AddressInfo).port;
  const plain = plainApiHandler([create], { port, headers: configHeaders([]), compress: false });
  plainServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!plain(req, res)) res.writeHead(404).end();
  });
  plainUrl = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    await new Promise<void>((resolve) => {
      worker!.once("exit", () => resolve());
      worker!.kill("SIGKILL");
    });
  }
  await stopTracing?.();
  plainServer?.closeAllConnections();
  plainServer?.close();
  await receiver?.close();
  await app?.close();
  await db.$disconnect();
  await database?.cleanup();
  collector.closeAllConnections();
  collector.close();
});

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe("a trace per message, from the API call through the executor to the outbound POST", () => {
  it("connects the API span (Next's route and the plain Node path), the executor's deliver span and its POST span; the receiver gets the POST's traceparent", async () => {
    expect(tracingEnabled).toBe(true);
    const { org, endpointId, actor } = await orgWithEndpoint(`${receiver.url}/hook`);
    const { key } = await createApiKey({ name: "tracing", scope: "ORGANIZATION", organizationId: org.id, createdById: actor.id });
    const spawned = spawnWorker({
      DATABASE_URL: database.url,
      APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY!,
      EXECUTOR_APP_URL: `http://127.0.0.1:${app.port}`,
      EXECUTOR_KEY: TEST_EXECUTOR_KEY,
      EXECUTOR_SERVE: "local",
      EXECUTOR_POLL_MS: "200",
      ...OTEL_ENV,
    });
    worker = spawned.child;
    await spawned.ready;

    const path = `/api/v1/app/${org.slug}/msg`;
    const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
    // A client that traces too: its trace continues through HookRelay.
    const clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const clientSpan = "00f067aa0ba902b7";
    const viaRoute = await route("/api/v1/app/{app_id}/msg").POST(
      new Request(`http://127.0.0.1:${app.port}${path}`, { method: "POST", headers: { ...headers, traceparent: `00-${clientTrace}-${clientSpan}-01` }, body: JSON.stringify(contractCreated(1)) }),
    );
    const viaPlain = await fetch(`${plainUrl}${path}`, { method: "POST", headers, body: JSON.stringify(contractCreated(2)) });
    expect([viaRoute.status, viaPlain.status]).toEqual([202, 202]);
    const messageIds = [((await viaRoute.json()) as { id: string }).id, ((await viaPlain.json()) as { id: string }).id];

    await receiver.waitForRequests(2, COLD_MS);
    const traces = new Map<string, string>();
    for (const messageId of messageIds) {
      const request = receiver.requests.find((r) => r.headers["webhook-id"] === messageId);
      const match = TRACEPARENT.exec(String(request?.headers.traceparent));
      expect(match, `traceparent received with ${messageId}`).not.toBeNull();
      traces.set(messageId, match![1]!);
      const postSpanId = match![2]!;

      const traceId = match![1]!;
      // Three spans per message, exported by two processes.
      const inTrace = await waitFor(`the spans of ${messageId}`, async () => {
        const found = spans.filter((s) => s.traceId === traceId);
        return found.some((s) => s.name === "POST") && found.some((s) => s.name === "deliver") && found.some((s) => s.service === "hookrelay-test-api") && found;
      }, 30_000, 50);
      const api = inTrace.find((s) => s.service === "hookrelay-test-api")!;
      const deliver = inTrace.find((s) => s.name === "deliver")!;
      const post = inTrace.find((s) => s.name === "POST")!;
      expect(api).toMatchObject({ name: "POST /api/v1/app/{app_id}/msg", kind: 2, attributes: { "hookrelay.message.id": messageId, "http.response.status_code": 202 } });
      expect(deliver).toMatchObject({
        service: "hookrelay-executor",
        parentSpanId: api.spanId,
        kind: 5,
        attributes: { "hookrelay.message.id": messageId, "hookrelay.endpoint.id": endpointId, "hookrelay.attempt": 1, "hookrelay.function": "deliver-first-attempts" },
      });
      expect(post).toMatchObject({ service: "hookrelay-executor", parentSpanId: deliver.spanId, spanId: postSpanId, kind: 3, attributes: { "http.response.status_code": 200 } });
      // Nothing of this message's in any other trace.
      expect(spans.filter((s) => s.attributes["hookrelay.message.id"] === messageId && s.traceId !== traceId)).toEqual([]);
    }
    // The client's trace is continued by the call it made; the call without one starts its own.
    expect(traces.get(messageIds[0]!)).toBe(clientTrace);
    expect(spans.find((s) => s.traceId === clientTrace && s.service === "hookrelay-test-api")?.parentSpanId).toBe(clientSpan);
    expect(traces.get(messageIds[1]!)).not.toBe(clientTrace);
    // Ids only: no payload, key or signature in any attribute.
    const values = spans.flatMap((s) => Object.values(s.attributes).map(String));
    expect(values.filter((v) => v.includes(key) || v.includes("occurred_at") || v.startsWith("v1,"))).toEqual([]);
    expect(exports.every((e) => e.startsWith("POST /v1/traces application/json"))).toBe(true);
  }, 3 * COLD_MS);
});

describe("a message's trace across a failed attempt and its retry", () => {
  it("continues a client's traceparent on the plain Node path; the retry's deliver span joins the trace, the failed POST has error status, the endpoint's own traceparent header is replaced; an executor given only OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and OTEL_SERVICE_NAME exports there, under that name", async () => {
    // The first test's worker exports to OTEL_EXPORTER_OTLP_ENDPOINT: only this one may deliver here.
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise<void>((resolve) => worker!.once("exit", () => resolve()));
      worker.kill("SIGKILL");
      await exited;
    }
    const failingOnce = await startReceiver({ mode: { kind: "sequence", modes: [{ kind: "status", status: 500 }, { kind: "status", status: 200 }] } });
    const ownTraceparent = `00-${"a".repeat(32)}-${"b".repeat(16)}-01`;
    try {
      const { org, endpointId, actor } = await orgWithEndpoint(`${failingOnce.url}/hook`, { headers: [{ name: "traceparent", value: ownTraceparent }] });
      const { key } = await createApiKey({ name: "tracing-retry", scope: "ORGANIZATION", organizationId: org.id, createdById: actor.id });
      const spawned = spawnWorker({
        DATABASE_URL: database.url,
        APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY!,
        EXECUTOR_APP_URL: `http://127.0.0.1:${app.port}`,
        EXECUTOR_KEY: TEST_EXECUTOR_KEY,
        EXECUTOR_SERVE: "local",
        EXECUTOR_POLL_MS: "200",
        WEBHOOK_RETRY_SCHEDULE: "200ms",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collectorUrl}/full/url/traces`,
        OTEL_SERVICE_NAME: "hookrelay-executor-b",
        // Not followed: the exporter is OTLP/HTTP with JSON bodies whatever the protocol asked for.
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
        OTEL_BSP_SCHEDULE_DELAY: "50",
      });
      worker = spawned.child;
      await spawned.ready;

      const clientTrace = "0af7651916cd43dd8448eb211c80319c";
      const clientSpan = "b7ad6b7169203331";
      const sent = await fetch(`${plainUrl}/api/v1/app/${org.slug}/msg`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}`, traceparent: `00-${clientTrace}-${clientSpan}-01` },
        body: JSON.stringify(contractCreated(3)),
      });
      expect(sent.status).toBe(202);
      const messageId = ((await sent.json()) as { id: string }).id;

      // Attempt 1 answered 500, attempt 2 (the retry, 200 ms later) 200: each carries its own POST span's context, in the client's trace.
      const received = await failingOnce.waitForRequests(2, COLD_MS);
      const contexts = received.map((r) => TRACEPARENT.exec(String(r.headers.traceparent)));
      expect(contexts.map((m) => m?.[1])).toEqual([clientTrace, clientTrace]);
      expect(received.map((r) => r.headers.traceparent)).not.toContain(ownTraceparent);

      const inTrace = await waitFor("both attempts' spans", async () => {
        const found = spans.filter((s) => s.traceId === clientTrace);
        return found.filter((s) => s.name === "POST").length === 2 && found.filter((s) => s.name === "deliver").length === 2 && found.some((s) => s.service === "hookrelay-test-api") && found;
      }, 30_000, 50);
      const api = inTrace.find((s) => s.service === "hookrelay-test-api")!;
      expect(api).toMatchObject({
        name: "POST /api/v1/app/{app_id}/msg",
        kind: 2,
        parentSpanId: clientSpan,
        attributes: { "http.route": "/api/v1/app/{app_id}/msg", "http.request.method": "POST", "hookrelay.operation": "v1.message.create", "http.response.status_code": 202, "hookrelay.message.id": messageId },
      });
      const deliverOf = (attempt: number) => inTrace.find((s) => s.name === "deliver" && s.attributes["hookrelay.attempt"] === attempt);
      expect(deliverOf(1)).toMatchObject({ parentSpanId: api.spanId, attributes: { "hookrelay.function": "deliver-first-attempts", "hookrelay.endpoint.id": endpointId } });
      expect(deliverOf(2)).toMatchObject({ parentSpanId: api.spanId, attributes: { "hookrelay.function": "deliver-message", "hookrelay.endpoint.id": endpointId } });
      const postOf = (attempt: number) => inTrace.find((s) => s.name === "POST" && s.parentSpanId === deliverOf(attempt)!.spanId);
      expect(postOf(1)).toMatchObject({ spanId: contexts[0]![2], status: 2, attributes: { "http.response.status_code": 500 } });
      expect(postOf(2)).toMatchObject({ spanId: contexts[1]![2], attributes: { "http.response.status_code": 200 } });
      expect(postOf(2)!.status).not.toBe(2);

      // The executor's spans went to the traces URL as given, under the service name given.
      const executorSpans = inTrace.filter((s) => s.name !== api.name);
      expect(executorSpans.map((s) => `${s.service} ${s.path}`)).toEqual(executorSpans.map(() => "hookrelay-executor-b /full/url/traces"));
      expect(exports.filter((e) => e.startsWith("POST /full/url/traces ")).every((e) => e === "POST /full/url/traces application/json")).toBe(true);
    } finally {
      await failingOnce.close();
    }
  }, 3 * COLD_MS);
});

describe("the span of any other /api/v1 call", () => {
  it("gives a message list call a SERVER span with its route, method, operation and status", async () => {
    const { org, actor } = await orgWithEndpoint("http://127.0.0.1:9/unused");
    const { key } = await createApiKey({ name: "tracing-list", scope: "ORGANIZATION", organizationId: org.id, createdById: actor.id });
    const clientTrace = "5c7d2a1f0e9b8c7d6e5f4a3b2c1d0e9f";
    const listed = await route("/api/v1/app/{app_id}/msg").GET(
      new Request(`http://127.0.0.1:${app.port}/api/v1/app/${org.slug}/msg`, { headers: { authorization: `Bearer ${key}`, traceparent: `00-${clientTrace}-1111111111111111-01` } }),
    );
    expect(listed.status).toBe(200);
    const [span] = await waitFor("the list call's span", async () => {
      const found = spans.filter((s) => s.traceId === clientTrace);
      return found.length > 0 && found;
    }, 10_000, 50);
    expect(span).toMatchObject({
      service: "hookrelay-test-api",
      name: "GET /api/v1/app/{app_id}/msg",
      kind: 2,
      parentSpanId: "1111111111111111",
      attributes: { "http.route": "/api/v1/app/{app_id}/msg", "http.request.method": "GET", "hookrelay.operation": "v1.message.list", "http.response.status_code": 200 },
    });
  });
});
