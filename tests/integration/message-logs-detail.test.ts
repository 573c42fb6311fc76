import { randomUUID } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as exportAttemptsRoute } from "@/app/(dashboard)/[org]/settings/integrations/webhooks/endpoints/[endpointId]/attempts/export/route";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { db } from "@/lib/db";
import { performScheduledAttempt } from "@/lib/delivery/perform";
import { ids } from "@/lib/ids";
import { scheduleFromWaits } from "@/lib/delivery/schedule";
import { listAttemptedMessages } from "@/lib/endpoints/attempted-messages";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { endpointHealth, FAILING_STREAK } from "@/lib/endpoints/health";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { getMessageDetail } from "@/lib/messages/detail";
import { exportAttempts } from "@/lib/messages/export";
import { sendEvent } from "@/lib/messages/send-event";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { attemptedMessagesFiltersSchema } from "@/lib/validations/message-logs";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg, createUser } from "@/tests/helpers/factories";
import { freePort } from "@/scripts/lib/test-database";
import { startReceiver, type Receiver, type ReceiverMode } from "@/tests/helpers/receiver";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));

// Read once by the delivery config: a short timeout keeps the timed-out attempt quick, and the
// diagnosis must state this configured value.
process.env.WEBHOOK_ATTEMPT_TIMEOUT_MS = "1000";
setTestEncryptionKey();

const schedule = scheduleFromWaits([60_000, 120_000]);
const HEADER_SECRET = "hdr-secret-91b2";
const example = (type: string) => SEED_CATALOG.find((t) => t.name === type)!.examples[0]!.payload as Record<string, unknown>;

let receiver: Receiver;
let notHttp: net.Server;
let org: { id: string; slug: string; webhooksEnabled: boolean };
const endpoints: Record<"main" | "refused" | "notHttp", string> = { main: "", refused: "", notHttp: "" };

async function newEndpoint(url: string, eventTypes: string[], headers: { name: string; value: string }[] = []) {
  const actor = await createUser();
  const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url, eventTypes, rateLimit: "", headers }), { id: actor.id, email: actor.email });
  if (!created.ok) throw new Error(created.message);
  return created.id;
}

/** A real message through ingestion, then its first scheduled attempt to the real receiver. */
async function sendAndAttempt(eventType: string, mode?: ReceiverMode, payload: Record<string, unknown> = example(eventType)) {
  if (mode) receiver.setMode(mode);
  const sent = await sendEvent(org, { eventType, payload });
  if (!sent.ok) throw new Error(sent.message);
  const deliveries = await db.delivery.findMany({ where: { messageId: sent.message.id } });
  for (const d of deliveries) await performScheduledAttempt(ids.delivery.of(d.id), 1, { schedule });
  return sent.message.id;
}

beforeAll(async () => {
  await ensureCatalog();
  receiver = await startReceiver();
  notHttp = net.createServer((socket) => socket.once("data", () => socket.end("SSH-2.0-OpenSSH_9.6\r\n")));
  await new Promise<void>((resolve) => notHttp.listen(0, "127.0.0.1", resolve));
  org = await createOrg({ webhooksEnabled: true });
  endpoints.main = await newEndpoint(`${receiver.url}/hooks`, ["contract.created"], [{ name: "X-Api-Key", value: HEADER_SECRET }]);
  endpoints.refused = await newEndpoint(`http://127.0.0.1:${await freePort()}/in`, ["offer.accepted"]);
  endpoints.notHttp = await newEndpoint(`http://127.0.0.1:${(notHttp.address() as net.AddressInfo).port}/in`, ["offer.expired"]);
});

afterAll(async () => {
  signInAs(null);
  await receiver.close();
  await new Promise<void>((resolve) => notHttp.close(() => resolve()));
});

describe("message detail", () => {
  it("shows the payload, the headers sent without secrets, the schedule left and the attempt as the receiver answered", async () => {
    const id = await sendAndAttempt("contract.created", { kind: "status", status: 500, body: '{"error":"database down","retry":true}', headers: { "content-type": "application/json", "x-request-id": "r-1" } });
    const detail = (await getMessageDetail(org.id, id, { schedule }))!;
    expect(detail).toMatchObject({ id, eventType: "contract.created", body: JSON.stringify(example("contract.created")) });
    expect(detail.payloadDisplay).toBe(JSON.stringify(example("contract.created"), null, 2));
    expect(detail.deliveries).toHaveLength(1);
    const [delivery] = detail.deliveries;
    expect(delivery!.headers.map((h) => [h.name, h.value])).toEqual([
      ["x-api-key", null],
      ["content-type", "application/json"],
      ["user-agent", "HookRelay-Webhooks/1.0"],
      ["webhook-id", id],
      ["webhook-timestamp", null],
      ["webhook-signature", null],
    ]);
    expect(delivery).toMatchObject({ status: "PENDING", attemptCount: 1, endpoint: { id: endpoints.main, customHeaderNames: ["x-api-key"] } });
    expect(delivery!.remaining.map((r) => r.attempt)).toEqual([2, 3]);
    expect(delivery!.remaining[0]!.at).toEqual(delivery!.nextAttemptAt);
    expect(delivery!.remaining[1]!.at.getTime() - delivery!.remaining[0]!.at.getTime()).toBe(120_000);
    const [attempt] = delivery!.attempts;
    expect(attempt).toMatchObject({
      attemptNumber: 1,
      trigger: "SCHEDULED",
      url: `${receiver.url}/hooks`,
      statusCode: 500,
      succeeded: false,
      responseBodyTruncated: false,
      responseBodyIsJson: true,
      responseBodyDisplay: '{\n  "error": "database down",\n  "retry": true\n}',
      diagnosis: { tone: "failure", label: "HTTP 500", sentence: "HTTP 500 Internal Server Error" },
    });
    expect(attempt!.responseHeaders).toMatchObject({ "content-type": "application/json", "x-request-id": "r-1" });
    expect(attempt!.durationMs).toBeGreaterThanOrEqual(0);

    const everything = JSON.stringify(detail);
    const [secret] = await activeSigningSecrets(endpoints.main);
    expect(everything).not.toContain(HEADER_SECRET);
    expect(everything).not.toContain(secret!.slice(6));
    expect(everything).not.toMatch(/v1,[A-Za-z0-9+/=]{20,}/);
  });

  it("reads each kind of failure as a diagnosis", async () => {
    const sentence = async (eventType: string, mode?: ReceiverMode) => {
      const id = await sendAndAttempt(eventType, mode);
      const detail = (await getMessageDetail(org.id, id, { schedule }))!;
      return detail.deliveries[0]!.attempts[0]!.diagnosis.sentence;
    };
    expect(await sentence("contract.created", { kind: "redirect", status: 302, location: "https://moved.example/hooks" })).toBe(
      "HTTP 302 redirect to https://moved.example/hooks not followed (redirects are never followed)",
    );
    expect(await sentence("contract.created", { kind: "slow", delayMs: 3_000 })).toBe("Timed out: no complete response within 1 s");
    expect(await sentence("contract.created", { kind: "reset" })).toBe("Connection reset by the receiver before a complete response");
    expect(await sentence("offer.accepted")).toBe("Connection refused: nothing accepted the connection at this address and port");
    expect(await sentence("offer.expired")).toMatch(/^The receiver answered with something that is not HTTP \(/);
    expect(await sentence("contract.created", { kind: "status", status: 204 })).toBe("Delivered: HTTP 204 No Content in " + (await lastDuration()) + " ms");
  });

  it("marks a truncated body and leaves it as received", async () => {
    const big = JSON.stringify({ items: "x".repeat(70 * 1024) });
    const id = await sendAndAttempt("contract.created", { kind: "status", status: 200, body: big, headers: { "content-type": "application/json" } });
    const attempt = (await getMessageDetail(org.id, id, { schedule }))!.deliveries[0]!.attempts[0]!;
    expect(attempt).toMatchObject({ responseBodyTruncated: true, responseBodyIsJson: false });
    expect(attempt.responseBodyDisplay).toBe(big.slice(0, 64 * 1024));
  });

  it("is not found in another organization", async () => {
    const id = await sendAndAttempt("contract.created", { kind: "status", status: 200 });
    const other = await createOrg();
    expect(await getMessageDetail(other.id, id)).toBeNull();
  });
});

async function lastDuration(): Promise<number> {
  const last = await db.attempt.findFirstOrThrow({ where: { endpointId: endpoints.main }, orderBy: { startedAt: "desc" } });
  return last.durationMs;
}

describe("endpoint health", () => {
  it("gives each endpoint its last outcome, success rate, hourly counts, failure streak and backlog in one call", async () => {
    const health = await endpointHealth(org.id, [endpoints.main, endpoints.refused, endpoints.notHttp, "ep_notInThisOrganization0"]);
    expect([...health.keys()].sort()).toEqual([endpoints.main, endpoints.refused, endpoints.notHttp].sort());

    const refused = health.get(endpoints.refused)!;
    expect(refused).toMatchObject({ failing: true, lastSuccessAt: null, failureStreak: 1, last24h: { attempts: 1, failures: 1, successRate: 0 } });
    expect(refused.lastAttempt!.diagnosis.label).toBe("Connection refused");
    expect(refused.oldestPending).toMatchObject({ messageId: expect.stringMatching(/^msg_/) });
    expect(refused.pendingCount).toBe(1);

    const main = health.get(endpoints.main)!;
    const attempts = await db.attempt.findMany({ where: { endpointId: endpoints.main }, orderBy: { startedAt: "asc" } });
    const failures = attempts.filter((a) => !a.succeeded).length;
    expect(main.last24h).toEqual({ attempts: attempts.length, failures, successRate: (attempts.length - failures) / attempts.length });
    expect(main.hourly24h).toHaveLength(24);
    expect(main.hourly7d).toHaveLength(168);
    expect(main.hourly24h.at(-1)).toMatchObject({ attempts: attempts.length, failures });
    expect(main.lastSuccessAt).toEqual(attempts.filter((a) => a.succeeded).at(-1)!.startedAt);
    const lastSuccessIndex = attempts.findLastIndex((a) => a.succeeded);
    expect(main.failureStreak).toBe(attempts.length - 1 - lastSuccessIndex);
    expect(main.failing).toBe(main.failureStreak >= FAILING_STREAK);
  });

  it("says failing once the last five attempts failed, and not after a success", async () => {
    const now = new Date();
    const past = (m: number) => new Date(now.getTime() - m * 60_000);
    const endpoint = await newEndpoint("http://127.0.0.1:9/streak", ["buyer.registered"]);
    const sent = await sendEvent(org, { eventType: "buyer.registered", payload: example("buyer.registered") });
    if (!sent.ok) throw new Error(sent.message);
    const delivery = await db.delivery.findFirstOrThrow({ where: { endpointId: endpoint } });
    const record = (n: number, succeeded: boolean, at: Date) =>
      db.attempt.create({ data: { id: `att_${randomUUID().replaceAll("-", "")}`, deliveryId: delivery.id, messageId: sent.message.id, endpointId: endpoint, attemptNumber: n, trigger: "MANUAL", url: "http://127.0.0.1:9/streak", startedAt: at, durationMs: 3, succeeded, statusCode: succeeded ? 200 : 503, errorKind: succeeded ? null : "http_status" } });
    await record(1, true, past(90));
    for (let n = 2; n <= 5; n++) await record(n, false, past(80 - n));
    expect((await endpointHealth(org.id, [endpoint], { now })).get(endpoint)).toMatchObject({ failureStreak: 4, failing: false, lastSuccessAt: past(90) });
    await record(6, false, past(10));
    const failing = (await endpointHealth(org.id, [endpoint], { now })).get(endpoint)!;
    expect(failing).toMatchObject({ failureStreak: 5, failing: true, last24h: { attempts: 6, failures: 5 } });
    expect(failing.lastAttempt!.diagnosis.sentence).toBe("HTTP 503 Service Unavailable");
    expect(failing.hourly24h.at(-1)).toMatchObject({ attempts: 1, failures: 1 });
    expect(failing.hourly24h.at(-2)).toMatchObject({ attempts: 5, failures: 4 });
  });
});

describe("attempted messages of an endpoint", () => {
  it("lists every message sent to the endpoint with its delivery's state, filtered and paginated", async () => {
    const tab = (input: Record<string, unknown>) => listAttemptedMessages(org.id, endpoints.main, attemptedMessagesFiltersSchema.parse(input));
    const deliveries = await db.delivery.findMany({ where: { endpointId: endpoints.main }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    const all = await tab({ limit: "250" });
    expect(all.items.map((r) => r.deliveryId)).toEqual(deliveries.map((d) => d.id));
    expect(all.items[0]).toMatchObject({ eventType: "contract.created", status: deliveries[0]!.status, attemptCount: 1 });

    const succeeded = await tab({ status: "succeeded" });
    expect(succeeded.items.map((r) => r.deliveryId)).toEqual(deliveries.filter((d) => d.status === "SUCCEEDED").map((d) => d.id));
    const pending = await tab({ status: "pending" });
    expect(pending.items.every((r) => r.status === "PENDING" && r.nextAttemptAt !== null)).toBe(true);
    expect(pending.items.length).toBe(deliveries.filter((d) => d.status === "PENDING").length);
    expect((await tab({ status: "sending" })).items).toEqual([]);

    const first = await tab({ limit: "2" });
    const second = await tab({ limit: "2", cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((r) => r.deliveryId)).toEqual(deliveries.slice(0, 4).map((d) => d.id));
    expect((await tab({ limit: "2", cursor: second.prevCursor })).items).toEqual(first.items);
  });

  it("is empty for an endpoint of another organization", async () => {
    const other = await createOrg();
    expect((await listAttemptedMessages(other.id, endpoints.main, attemptedMessagesFiltersSchema.parse({}))).items).toEqual([]);
  });
});

describe("attempt export", () => {
  it("streams every attempt with its diagnosis, response bodies only when asked, never a secret", async () => {
    // A receiver that echoes the custom header back puts the secret into what the export reads.
    await sendAndAttempt("contract.created", { kind: "status", status: 500, body: "echo", headers: { "x-echo-x-api-key": HEADER_SECRET } });
    const [inReach] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Attempt" WHERE "endpointId" = ${endpoints.main} AND "responseHeaders"::text LIKE ${`%${HEADER_SECRET}%`}`;
    expect(inReach!.n).toBe(1);
    const count = await db.attempt.count({ where: { endpointId: endpoints.main } });
    let csv = "";
    for await (const chunk of exportAttempts(org.id, endpoints.main, {}, { format: "csv", includeBody: true, batchSize: 3 })) csv += chunk;
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,messageId,eventType,startedAt,trigger,attemptNumber,url,succeeded,statusCode,durationMs,errorKind,diagnosis,deliveryStatus,responseBodyTruncated,responseBody");
    expect(lines.filter((l) => /^(att|atmpt)_/.test(l))).toHaveLength(count);
    expect(csv).toContain("HTTP 500 Internal Server Error");
    expect(csv).toContain('""database down""');
    const [secret] = await activeSigningSecrets(endpoints.main);
    expect(csv).not.toContain(HEADER_SECRET);
    expect(csv).not.toContain(secret!.slice(6));

    let ndjson = "";
    for await (const chunk of exportAttempts(org.id, endpoints.main, { status: "succeeded" }, { format: "ndjson", includeBody: false })) ndjson += chunk;
    const rows = ndjson.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBe(await db.attempt.count({ where: { endpointId: endpoints.main, delivery: { status: "SUCCEEDED" } } }));
    expect(rows.every((r) => r.deliveryStatus === "SUCCEEDED" && !("responseBody" in r))).toBe(true);
  });

  it("is served to a VIEWER, and not for an endpoint of another organization", async () => {
    const viewer = await createMember(org.id, "VIEWER");
    signInAs(viewer.id);
    const response = await exportAttemptsRoute(new Request("http://localhost/x?format=ndjson&include=body"), { params: Promise.resolve({ org: org.slug, endpointId: endpoints.refused }) });
    expect(response.status).toBe(200);
    const [row] = (await response.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(row).toMatchObject({ errorKind: "connection_refused", diagnosis: expect.stringMatching(/^Connection refused/), responseBody: "" });

    const other = await createOrg();
    const outsider = await createMember(other.id, "OWNER");
    signInAs(outsider.id);
    const refused = await exportAttemptsRoute(new Request("http://localhost/x"), { params: Promise.resolve({ org: other.slug, endpointId: endpoints.refused }) });
    expect(refused.status).toBe(404);
  });
});
