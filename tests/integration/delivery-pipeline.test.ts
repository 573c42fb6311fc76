import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { rotateEndpointSecret, setEndpointDisabled } from "@/lib/endpoints/endpoints";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { publishEndpointStopped } from "@/lib/domain-events";
import { sendEvent } from "@/lib/messages/send-event";
import { waitFor } from "@/tests/helpers/executor-harness";
import { contractCreated, orgWithEndpoint, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { startReceiver, type Receiver, type ReceiverMode } from "@/tests/helpers/receiver";

/** Compressed schedule: eight attempts, one second apart (step.sleep has 1 s resolution). */
const WAITS_MS = 1_000;
let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({ WEBHOOK_RETRY_SCHEDULE: Array(7).fill("1s").join(","), WEBHOOK_ATTEMPT_TIMEOUT_MS: "400" });
}, 60_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

async function receiver(mode: ReceiverMode = { kind: "status", status: 200 }) {
  const r = await startReceiver({ mode });
  receivers.push(r);
  return r;
}

async function send(org: { id: string }, n = 1) {
  const result = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(n));
  if (!result.ok) throw new Error(result.message);
  return result;
}

const deliveryOf = (messageId: string) => db.delivery.findFirstOrThrow({ where: { messageId } });
const attemptsOf = (messageId: string) => db.attempt.findMany({ where: { messageId }, orderBy: { attemptNumber: "asc" } });
const finished = (messageId: string) => async () => {
  const d = await deliveryOf(messageId);
  return d.status === "SUCCEEDED" || d.status === "FAILED" ? d : undefined;
};

describe("delivery", () => {
  it("POSTs the exact signed JSON with Standard Webhooks headers and records the attempt", async () => {
    const r = await receiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`);
    const sent = await send(org);
    const [request] = await r.waitForRequests(1, 10_000);
    const delivery = await waitFor("delivery to finish", finished(sent.message.id));
    expect(delivery.status).toBe("SUCCEEDED");

    const body = request!.body.toString("utf8");
    expect(JSON.parse(body)).toEqual(sent.message.payload);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["user-agent"]).toMatch(/^HookRelay-Webhooks\//);
    expect(request!.headers["webhook-id"]).toBe(sent.message.id);
    const [secret] = await activeSigningSecrets(endpointId);
    const headers = Object.fromEntries(Object.entries(request!.headers).map(([k, v]) => [k, String(v)]));
    expect(() => new Webhook(secret!).verify(body, headers)).not.toThrow();

    const [attempt] = await attemptsOf(sent.message.id);
    expect(attempt).toMatchObject({ attemptNumber: 1, trigger: "SCHEDULED", url: `${r.url}/hook`, statusCode: 200, succeeded: true });
  });

  it("signs with both secrets during rotation, each verifying on its own", async () => {
    const r = await receiver();
    const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
    const [before] = await activeSigningSecrets(endpointId);
    await rotateEndpointSecret(org.id, endpointId, actor);
    const secrets = await activeSigningSecrets(endpointId);
    expect(secrets).toHaveLength(2);
    expect(secrets[1]).toBe(before);
    await send(org);
    const [request] = await r.waitForRequests(1, 10_000);
    const headers = Object.fromEntries(Object.entries(request!.headers).map(([k, v]) => [k, String(v)]));
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    for (const secret of secrets) expect(() => new Webhook(secret).verify(request!.body.toString("utf8"), headers)).not.toThrow();
  });

  it("sends the endpoint's custom headers and never lets one override a reserved header", async () => {
    const r = await receiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`, { headers: [{ name: "X-Api-Key", value: "k-123" }, { name: "X-Tenant", value: "acme" }] });
    // Stored by an older version or by hand: the sender still drops it.
    await db.endpoint.update({ where: { id: endpointId }, data: { headers: [{ name: "X-Api-Key", value: "k-123" }, { name: "Webhook-Id", value: "forged" }, { name: "Host", value: "evil" }] } });
    const sent = await send(org);
    const [request] = await r.waitForRequests(1, 10_000);
    expect(request!.headers["x-api-key"]).toBe("k-123");
    expect(request!.headers["webhook-id"]).toBe(sent.message.id);
    expect(request!.headers.host).toBe(new URL(r.url).host);
  });

  it("retries every fault mode on the schedule: eight attempts in order, then failed", async () => {
    const modes: [string, ReceiverMode, string | null][] = [
      ["500", { kind: "status", status: 500, body: "boom" }, "http_status"],
      ["404", { kind: "status", status: 404 }, "http_status"],
      ["429", { kind: "status", status: 429 }, "http_status"],
      ["slow beyond the timeout", { kind: "slow", delayMs: 2_000 }, "timeout"],
      ["connection reset", { kind: "reset" }, "connection_reset"],
      ["302 redirect", { kind: "redirect", status: 302 }, "redirect"],
    ];
    const cases = await Promise.all(
      modes.map(async ([name, mode, kind]) => {
        const r = await receiver(mode);
        const { org } = await orgWithEndpoint(`${r.url}/hook`);
        return { name, kind, r, sent: await send(org) };
      }),
    );
    for (const c of cases) {
      const delivery = await waitFor(`${c.name} to fail`, finished(c.sent.message.id), 40_000, 100);
      expect(delivery.status, c.name).toBe("FAILED");
      expect(delivery.failureReason, c.name).toMatch(/all 8 attempts failed/);
      const attempts = await attemptsOf(c.sent.message.id);
      expect(attempts.map((a) => a.attemptNumber), c.name).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(attempts.every((a) => !a.succeeded && a.errorKind === c.kind), c.name).toBe(true);
      // Redirects are not followed: exactly one request per attempt reached the receiver.
      expect(c.r.total, c.name).toBe(8);
      const arrivals = c.r.requests.map((q) => q.receivedAt);
      for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!, `${c.name} gap ${i}`).toBeGreaterThanOrEqual(WAITS_MS - 50);
    }
    expect(cases.find((c) => c.name === "500")!.r.requests.length).toBe(8);
    const body = (await attemptsOf(cases[0]!.sent.message.id))[0]!;
    expect(body).toMatchObject({ statusCode: 500, responseBody: "boom" });
  }, 60_000);

  it("succeeds after N failures and stops retrying", async () => {
    const r = await receiver({ kind: "fail-then-succeed", failures: 2 });
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    const sent = await send(org);
    const delivery = await waitFor("delivery to succeed", finished(sent.message.id), 15_000, 50);
    expect(delivery.status).toBe("SUCCEEDED");
    const attempts = await attemptsOf(sent.message.id);
    expect(attempts.map((a) => [a.attemptNumber, a.succeeded])).toEqual([[1, false], [2, false], [3, true]]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(r.total).toBe(3);
  });

  it("never sends more than the endpoint's rate limit in any one-second window, dropping nothing", async () => {
    const r = await receiver();
    const { org } = await orgWithEndpoint(`${r.url}/hook`, { rateLimit: 4 });
    const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => send(org, i + 1)));
    const requests = await r.waitForRequests(12, 20_000);
    const times = requests.map((q) => q.receivedAt).sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 1_000).length;
      expect(inWindow).toBeLessThanOrEqual(4);
    }
    for (const s of sent) expect((await waitFor("delivery", finished(s.message.id))).status).toBe("SUCCEEDED");
    // Waiting for a slot never used up an attempt.
    expect(await db.attempt.count({ where: { messageId: { in: sent.map((s) => s.message.id) } } })).toBe(12);
  }, 40_000);

  it("disabling the endpoint during the schedule stops every further attempt", async () => {
    const r = await receiver({ kind: "status", status: 503 });
    const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
    const sent = await send(org);
    await r.waitForRequests(2, 10_000);
    await setEndpointDisabled(org.id, endpointId, true, actor);
    await publishEndpointStopped("disabled", { organizationId: org.id, endpointId });
    const seen = r.total;
    const delivery = await deliveryOf(sent.message.id);
    expect(delivery).toMatchObject({ status: "FAILED", failureReason: "endpoint disabled" });
    await new Promise((resolve) => setTimeout(resolve, 3 * WAITS_MS));
    expect(r.total).toBe(seen);
    const run = await pipeline.database.pool.query<{ status: string }>(
      `SELECT status FROM executor_runs WHERE function_id LIKE '%deliver-message' AND event_id IN (SELECT id FROM executor_events WHERE data->>'messageId' = $1)`,
      [sent.message.id],
    );
    expect(run.rows.map((x) => x.status)).toEqual(["CANCELLED"]);
  });

  it("a restart during the schedule still makes the next attempt on time, never one attempt twice", async () => {
    const r = await receiver({ kind: "fail-then-succeed", failures: 1 });
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    const sent = await send(org);
    await r.waitForRequests(1, 10_000);
    await pipeline.stopExecutor();
    await pipeline.restartExecutor();
    const [first, second] = await r.waitForRequests(2, 10_000);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(WAITS_MS - 50);
    expect(second!.receivedAt - first!.receivedAt).toBeLessThan(WAITS_MS + 2_500);
    expect((await waitFor("delivery", finished(sent.message.id))).status).toBe("SUCCEEDED");
    expect((await attemptsOf(sent.message.id)).map((a) => a.attemptNumber)).toEqual([1, 2]);
    expect(r.total).toBe(2);
  });
});
