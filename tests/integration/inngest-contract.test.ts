import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";

/**
 * The app's /api/inngest as Inngest Cloud or a self-hosted `inngest start` calls it
 * (docs/scaling.md): the app's own route and functions, in Inngest mode, with requests signed the
 * way Inngest signs them (`x-inngest-signature: t=<unix seconds>&s=<hex HMAC-SHA256 of body + t>`,
 * keyed with the signing key minus its `signkey-<env>-` prefix). A stand-in for Inngest's API on
 * 127.0.0.1 answers the calls the SDK makes itself: the out-of-band sync (`POST /fn/register`) and
 * events (`POST /e/<event key>`).
 */

const HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const SIGNING_KEY = `signkey-prod-${HEX}`;
const PREVIOUS_KEY = `signkey-prod-${"f".repeat(64)}`;
const EVENT_KEY = "contract-event-key";
const APP_URL = "http://127.0.0.1:3000/api/inngest";

/** RFC 8785 canonical JSON (sorted keys, no spaces): what the SDK signs and verifies. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function hmac(body: string, ts: string, key: string): string {
  return createHmac("sha256", key.replace(/^signkey-\w+-/, "")).update(body + ts).digest("hex");
}

function sign(body: string, key = SIGNING_KEY, at = Date.now()): string {
  const ts = Math.round(at / 1000).toString();
  return `t=${ts}&s=${hmac(body, ts, key)}`;
}

/** Checks a response's `x-inngest-signature` the way Inngest checks the SDK's answers. */
function signedBy(signature: string | null, body: string, key = SIGNING_KEY): boolean {
  const params = new URLSearchParams(signature ?? "");
  return params.get("s") === hmac(body, params.get("t") ?? "", key);
}

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}
const seen: Seen[] = [];
let inngestApi: http.Server;
let route: typeof import("@/app/api/inngest/route");
let inngest: typeof import("@/inngest/client").inngest;

beforeAll(async () => {
  // Inngest's API on loopback: it accepts a sync and events as Inngest does.
  inngestApi = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization, body });
      const answer = req.url?.startsWith("/e/") ? { ids: (JSON.parse(body) as unknown[]).map((_, i) => `evt-${i}`), status: 200 } : { status: 200, modified: true };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => inngestApi.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(inngestApi.address() as AddressInfo).port}`;
  // What an operator sets for a self-hosted server (docs/scaling.md); for Inngest Cloud the same
  // without INNGEST_BASE_URL. Set before the client and the route are first imported.
  Object.assign(process.env, { INNGEST_SIGNING_KEY: SIGNING_KEY, INNGEST_SIGNING_KEY_FALLBACK: PREVIOUS_KEY, INNGEST_EVENT_KEY: EVENT_KEY, INNGEST_BASE_URL: base });
  delete process.env.INNGEST_DEV;
  route = await import("@/app/api/inngest/route");
  inngest = (await import("@/inngest/client")).inngest;
});

afterAll(async () => {
  await new Promise<void>((resolve) => inngestApi.close(() => resolve()));
  await db.$disconnect();
});

function syncRequest(headers: Record<string, string>, body = JSON.stringify({ url: APP_URL })) {
  return new NextRequest(APP_URL, { method: "PUT", headers: { "content-type": "application/json", ...headers }, body });
}

function callRequest(fnId: string, body: string, headers: Record<string, string>) {
  return new NextRequest(`${APP_URL}?fnId=${fnId}&stepId=step`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

describe("the Inngest protocol at /api/inngest (Inngest mode)", () => {
  it("answers a signed in-band sync (PUT) with every function's configuration, signed with the same key", async () => {
    const body = JSON.stringify({ url: APP_URL });
    const res = await route.PUT(syncRequest({ "x-inngest-sync-kind": "in_band", "x-inngest-signature": sign(body) }, body));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-inngest-sync-kind")).toBe("in_band");
    const text = await res.text();
    expect(signedBy(res.headers.get("x-inngest-signature"), text)).toBe(true);
    const sync = JSON.parse(text) as { app_id: string; url: string; framework: string; functions: { id: string; triggers: unknown[]; batchEvents?: unknown; cancel?: unknown[] }[] };
    expect(sync).toMatchObject({ app_id: "hookrelay", url: APP_URL, framework: "nextjs" });
    const byId = new Map(sync.functions.map((f) => [f.id, f]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(["hookrelay-deliver-first-attempts", "hookrelay-deliver-message", "hookrelay-recover-messages", "hookrelay-purge-history"]));
    expect(byId.get("hookrelay-deliver-first-attempts")).toMatchObject({ triggers: [{ event: "delivery/requested" }], batchEvents: { maxSize: 100, timeout: "1s" } });
    // The purge runs on Inngest's cron.
    expect(byId.get("hookrelay-purge-history")).toMatchObject({ triggers: [{ cron: "*/15 * * * *" }] });
    // Cancellation on Inngest is Inngest's own cancelOn, configured by this sync.
    expect(byId.get("hookrelay-deliver-message")?.cancel).toEqual([
      expect.objectContaining({ event: "endpoint/disabled", if: "event.data.endpointId == async.data.endpointId" }),
      expect.objectContaining({ event: "endpoint/deleted", if: "event.data.endpointId == async.data.endpointId" }),
    ]);
  });

  it("refuses a sync that is unsigned, signed with another key, or signed more than five minutes ago", async () => {
    const body = JSON.stringify({ url: APP_URL });
    const refused: Record<string, string>[] = [
      {},
      { "x-inngest-signature": sign(body, `signkey-prod-${"0".repeat(64)}`) },
      { "x-inngest-signature": sign(body, SIGNING_KEY, Date.now() - 6 * 60_000) },
      { "x-inngest-signature": sign(JSON.stringify({ url: "http://attacker.invalid/api/inngest" })) },
    ];
    for (const headers of refused) {
      const res = await route.PUT(syncRequest({ "x-inngest-sync-kind": "in_band", ...headers }, body));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: "Unauthorized" });
    }
  });

  it("syncs out of band on a plain PUT: posts the functions to <INNGEST_BASE_URL>/fn/register with the hashed signing key", async () => {
    seen.length = 0;
    const res = await route.PUT(new NextRequest(APP_URL, { method: "PUT" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ modified: true });
    const [register] = seen;
    expect(register).toMatchObject({ method: "POST", path: "/fn/register" });
    // Inngest's API takes the key's SHA-256 (of its hex bytes), never the key itself.
    expect(register!.authorization).toBe(`Bearer signkey-prod-${createHash("sha256").update(Buffer.from(HEX, "hex")).digest("hex")}`);
    const sent = JSON.parse(register!.body) as { appName: string; url: string; functions: { id: string }[] };
    expect(sent.appName).toBe("hookrelay");
    expect(new URL(sent.url).pathname).toBe("/api/inngest");
    expect(sent.functions.map((f) => f.id)).toContain("hookrelay-deliver-message");
  });

  it("runs a function for a signed call (POST) and signs its answer; the previous key still works during a rotation", async () => {
    // A batch whose delivery does not exist: the real first-attempt step runs, finds nothing to send.
    const event = { name: "delivery/requested", data: { deliveryId: "dlv_contract0000000000000000", organizationId: "org_contract", endpointId: "ep_contract", messageId: "msg_contract" }, id: "evt-contract", ts: Date.now() };
    const body = canonical({
      version: 2,
      event,
      events: [event],
      steps: {},
      ctx: { run_id: "run-contract", attempt: 0, max_attempts: 21, disable_immediate_execution: false, stack: { stack: [], current: 0 } },
    });
    for (const key of [SIGNING_KEY, PREVIOUS_KEY]) {
      const res = await route.POST(callRequest("hookrelay-deliver-first-attempts", body, { "x-inngest-signature": sign(body, key) }));
      expect(res.status).toBe(206);
      const text = await res.text();
      expect(signedBy(res.headers.get("x-inngest-signature"), text, key)).toBe(true);
      const [op] = JSON.parse(text) as { op: string; name: string; data: unknown }[];
      expect(op).toMatchObject({ op: "StepRun", name: "first-attempts", data: { succeeded: 0, failed: 0, retries: [] } });
    }
  });

  it("refuses an unsigned or badly signed call without running the function", async () => {
    const event = { name: "delivery/requested", data: { deliveryId: "dlv_contract0000000000000001", organizationId: "org_contract", endpointId: "ep_contract", messageId: "msg_contract" }, id: "evt-contract-2", ts: Date.now() };
    const body = canonical({ version: 2, event, events: [event], steps: {}, ctx: { run_id: "run-contract-2", attempt: 0, max_attempts: 21, disable_immediate_execution: false, stack: { stack: [], current: 0 } } });
    const refused: Record<string, string>[] = [{}, { "x-inngest-signature": sign(body, `signkey-prod-${"0".repeat(64)}`) }, { "x-inngest-signature": sign(`${body} `) }];
    for (const headers of refused) {
      const res = await route.POST(callRequest("hookrelay-deliver-first-attempts", body, headers));
      expect(res.status).toBe(401);
    }
  });

  it("sends events to <INNGEST_BASE_URL>/e/<INNGEST_EVENT_KEY>, with the id it is given (the outbox row's, so a resend is dropped)", async () => {
    seen.length = 0;
    await inngest.send({ id: "outbox-row-1", name: "delivery/requested", data: { deliveryId: "dlv_contract0000000000000002", organizationId: "org_contract", endpointId: "ep_contract", messageId: "msg_contract" } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", path: `/e/${EVENT_KEY}` });
    expect(JSON.parse(seen[0]!.body)).toEqual([expect.objectContaining({ id: "outbox-row-1", name: "delivery/requested" })]);
  });
});
