import { Webhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createEndpoint, deleteEndpoint, rotateEndpointSecret, setEndpointDisabled } from "@/lib/endpoints/endpoints";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { RATE_LIMIT_WINDOW_MS } from "@/lib/delivery/rate-limit";
import { sendEvent } from "@/lib/messages/send-event";
import { waitFor } from "@/tests/helpers/executor-harness";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { startReceiver, type Receiver, type ReceiverMode } from "@/tests/helpers/receiver";
import { quietAfterMarker } from "@/tests/helpers/run-barrier";

/** Compressed schedule: four attempts, one second apart (step.sleep has 1 s resolution). */
const WAITS_MS = 1_000;
const ATTEMPTS = 4;
/** Generous for a loopback answer on a loaded machine; "slow" receivers answer after twice this. */
const ATTEMPT_TIMEOUT_MS = 3_000;
/** The rate-limit window's margin covers the jitter between a reservation and its arrival. */
const RATE_LIMIT_MARGIN_MS = 1_000;
/** The longest one attempt can take to come due, be claimed and be answered. */
const ATTEMPT_BOUND_MS = WAITS_MS + PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS;
/** The whole schedule, twice over: a bound for waiting on a delivery to finish. */
const SCHEDULE_BOUND_MS = 2 * ATTEMPTS * ATTEMPT_BOUND_MS;
let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({
    WEBHOOK_RETRY_SCHEDULE: Array(ATTEMPTS - 1).fill(`${WAITS_MS}ms`).join(","),
    WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
    WEBHOOK_RATE_LIMIT_MARGIN_MS: String(RATE_LIMIT_MARGIN_MS),
  });
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
/** Nothing more arrives for these messages: see quietAfterMarker. */
async function quiet(...messageIds: string[]) {
  const sendMarker = async () => {
    const r = await receiver({ kind: "fail-then-succeed", failures: 1 });
    return (await send((await orgWithEndpoint(`${r.url}/marker`)).org)).message.id;
  };
  await quietAfterMarker(pipeline.database.pool, sendMarker, messageIds, SCHEDULE_BOUND_MS);
}
const plainHeaders = (request: { headers: Record<string, unknown> }) =>
  Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));

async function runStatusOf(messageId: string): Promise<string[]> {
  const { rows } = await pipeline.database.pool.query<{ status: string }>(
    `SELECT status FROM executor_runs WHERE function_id LIKE '%deliver-message' AND event_id IN (SELECT id FROM executor_events WHERE data->>'messageId' = $1)`,
    [messageId],
  );
  return rows.map((x) => x.status);
}

describe("delivery", () => {
  it("POSTs the exact signed JSON with Standard Webhooks headers, verified by standardwebhooks and svix, and records the attempt", async () => {
    const r = await receiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`);
    const sent = await send(org);
    const [request] = await r.waitForRequests(1, ATTEMPT_BOUND_MS);
    const delivery = await waitFor("delivery to finish", finished(sent.message.id), ATTEMPT_BOUND_MS);
    expect(delivery.status).toBe("SUCCEEDED");

    const body = request!.body.toString("utf8");
    expect(JSON.parse(body)).toEqual(sent.message.payload);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["user-agent"]).toMatch(/^HookRelay-Webhooks\//);
    expect(request!.headers["webhook-id"]).toBe(sent.message.id);
    const [secret] = await activeSigningSecrets(endpointId);
    const headers = plainHeaders(request!);
    expect(new Webhook(secret!).verify(body, headers)).toEqual(sent.message.payload);
    // Svix's own library, as a receiver using Svix's SDKs would verify.
    expect(() => new SvixWebhook(secret!).verify(body, headers)).not.toThrow();
    expect(() => new SvixWebhook(secret!).verify(body.replace("}", ' }'), headers)).toThrow();

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
    const [request] = await r.waitForRequests(1, ATTEMPT_BOUND_MS);
    const headers = plainHeaders(request!);
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    for (const secret of secrets) {
      expect(() => new Webhook(secret).verify(request!.body.toString("utf8"), headers)).not.toThrow();
      expect(() => new SvixWebhook(secret).verify(request!.body.toString("utf8"), headers)).not.toThrow();
    }
  });

  it("sends the endpoint's custom headers and never lets one override a reserved header", async () => {
    const r = await receiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`, { headers: [{ name: "X-Api-Key", value: "k-123" }, { name: "X-Tenant", value: "acme" }] });
    // Stored by an older version or by hand: the sender still drops it.
    await db.endpoint.update({ where: { id: endpointId }, data: { headers: [{ name: "X-Api-Key", value: "k-123" }, { name: "Webhook-Id", value: "forged" }, { name: "Host", value: "evil" }] } });
    const sent = await send(org);
    const [request] = await r.waitForRequests(1, ATTEMPT_BOUND_MS);
    expect(request!.headers["x-api-key"]).toBe("k-123");
    expect(request!.headers["webhook-id"]).toBe(sent.message.id);
    expect(request!.headers.host).toBe(new URL(r.url).host);
  });

  it("retries every fault mode on the schedule: every attempt in order, then failed", async () => {
    const modes: [string, ReceiverMode, string | null][] = [
      ["500", { kind: "status", status: 500, body: "boom" }, "http_status"],
      ["404", { kind: "status", status: 404 }, "http_status"],
      ["429", { kind: "status", status: 429 }, "http_status"],
      ["slow beyond the timeout", { kind: "slow", delayMs: 2 * ATTEMPT_TIMEOUT_MS }, "timeout"],
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
      const delivery = await waitFor(`${c.name} to fail`, finished(c.sent.message.id), SCHEDULE_BOUND_MS, 100);
      expect(delivery.status, c.name).toBe("FAILED");
      expect(delivery.failureReason, c.name).toMatch(new RegExp(`all ${ATTEMPTS} attempts failed`));
      const attempts = await attemptsOf(c.sent.message.id);
      expect(attempts.map((a) => a.attemptNumber), c.name).toEqual(Array.from({ length: ATTEMPTS }, (_, i) => i + 1));
      expect(attempts.every((a) => !a.succeeded && a.errorKind === c.kind), c.name).toBe(true);
      // Redirects are not followed: exactly one request per attempt reached the receiver.
      expect(c.r.total, c.name).toBe(ATTEMPTS);
      const arrivals = c.r.requests.map((q) => q.receivedAt);
      for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!, `${c.name} gap ${i}`).toBeGreaterThanOrEqual(WAITS_MS - 50);
    }
    await quiet(...cases.map((c) => c.sent.message.id));
    for (const c of cases) expect(c.r.total, `${c.name} after the last attempt`).toBe(ATTEMPTS);
    const body = (await attemptsOf(cases[0]!.sent.message.id))[0]!;
    expect(body).toMatchObject({ statusCode: 500, responseBody: "boom" });
  }, 3 * SCHEDULE_BOUND_MS);

  it("succeeds after N failures and stops retrying", async () => {
    const r = await receiver({ kind: "fail-then-succeed", failures: 2 });
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    const sent = await send(org);
    const delivery = await waitFor("delivery to succeed", finished(sent.message.id), 3 * ATTEMPT_BOUND_MS, 50);
    expect(delivery.status).toBe("SUCCEEDED");
    const attempts = await attemptsOf(sent.message.id);
    expect(attempts.map((a) => [a.attemptNumber, a.succeeded])).toEqual([[1, false], [2, false], [3, true]]);
    await quiet(sent.message.id);
    expect(r.total).toBe(3);
  });

  it("never sends more than the endpoint's rate limit in any one-second window, dropping nothing", async () => {
    const r = await receiver();
    const { org } = await orgWithEndpoint(`${r.url}/hook`, { rateLimit: 4 });
    const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => send(org, i + 1)));
    // Three windows' worth, each window followed by a durable sleep of at least WAITS_MS.
    const requests = await r.waitForRequests(12, 3 * (RATE_LIMIT_WINDOW_MS + RATE_LIMIT_MARGIN_MS + ATTEMPT_BOUND_MS));
    const times = requests.map((q) => q.receivedAt).sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + RATE_LIMIT_WINDOW_MS).length;
      expect(inWindow).toBeLessThanOrEqual(4);
    }
    for (const s of sent) expect((await waitFor("delivery", finished(s.message.id), ATTEMPT_BOUND_MS)).status).toBe("SUCCEEDED");
    // Waiting for a slot never used up an attempt.
    expect(await db.attempt.count({ where: { messageId: { in: sent.map((s) => s.message.id) } } })).toBe(12);
  }, 60_000);

  it("a burst in batches: healthy endpoints get every first attempt at once, failing ones retry on the schedule, rate limits hold, nothing twice", async () => {
    const healthy = await receiver();
    const failing = [
      await receiver({ kind: "sequence", modes: [...Array(3).fill({ kind: "status", status: 500 }), { kind: "status", status: 200 }] }),
      await receiver({ kind: "sequence", modes: [...Array(3).fill({ kind: "status", status: 500 }), { kind: "status", status: 200 }] }),
    ];
    const limited = await receiver();
    const { org, actor } = await orgWithEndpoint(`${healthy.url}/h0`);
    const config = (url: string, rateLimit = "") => endpointConfigSchema.parse({ url, eventTypes: ["contract.created"], rateLimit });
    for (let i = 1; i < 8; i++) await createEndpoint(org.id, config(`${healthy.url}/h${i}`), actor);
    for (const f of failing) await createEndpoint(org.id, config(`${f.url}/f`), actor);
    await createEndpoint(org.id, config(`${limited.url}/l`, "2"), actor);

    // One message fans out to 11 endpoints in one event batch: its first attempts are one run.
    const sent = [];
    for (let n = 1; n <= 3; n++) sent.push(await send(org, n));
    const ids = sent.map((s) => s.message.id);
    const healthyRequests = await healthy.waitForRequests(24, 3 * ATTEMPT_BOUND_MS);
    const retried = await Promise.all(failing.map((f) => f.waitForRequests(6, 3 * ATTEMPT_BOUND_MS + WAITS_MS)));
    const limitedRequests = await limited.waitForRequests(3, 2 * (RATE_LIMIT_WINDOW_MS + RATE_LIMIT_MARGIN_MS + ATTEMPT_BOUND_MS));

    const { rows: batches } = await pipeline.database.pool.query<{ n: number }>(
      `SELECT cardinality(batch_event_ids) AS n FROM executor_runs
        WHERE function_id LIKE '%deliver-first-attempts'
          AND batch_event_ids && (SELECT array_agg(id) FROM executor_events WHERE data->>'messageId' = ANY($1::text[]))`,
      [ids],
    );
    expect(batches.reduce((sum, b) => sum + b.n, 0)).toBe(33);
    expect(batches.every((b) => b.n >= 11)).toBe(true);

    // Each healthy endpoint got each message once.
    expect(new Set(healthyRequests.map((q) => `${q.path} ${String(q.headers["webhook-id"])}`)).size).toBe(24);
    // Failing endpoints: three failed first attempts, then each message's attempt 2 at least one wait later; the healthy ones were not held up by them.
    for (const requests of retried) {
      const byMessage = new Map<string, number[]>();
      for (const q of requests) byMessage.set(String(q.headers["webhook-id"]), [...(byMessage.get(String(q.headers["webhook-id"])) ?? []), q.receivedAt]);
      expect([...byMessage.keys()].sort()).toEqual([...ids].sort());
      for (const [first, second] of byMessage.values()) expect(second! - first!).toBeGreaterThanOrEqual(WAITS_MS - 50);
      expect(Math.max(...healthyRequests.map((q) => q.receivedAt))).toBeLessThan(Math.min(...[...byMessage.values()].map((t) => t[1]!)));
    }
    // The rate-limited endpoint: at most 2 in any one-second window, all three delivered.
    const times = limitedRequests.map((q) => q.receivedAt).sort((a, b) => a - b);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + RATE_LIMIT_WINDOW_MS).length).toBeLessThanOrEqual(2);

    for (const id of ids) await waitFor("every delivery to end", async () => (await db.delivery.count({ where: { messageId: id, status: { in: ["PENDING", "SENDING"] } } })) === 0 || undefined, SCHEDULE_BOUND_MS);
    const attempts = await db.attempt.findMany({ where: { messageId: { in: ids } }, select: { deliveryId: true, attemptNumber: true } });
    // 8 healthy + 1 rate-limited first attempts, and 2 each on the failing endpoints, per message; no attempt number twice.
    expect(attempts).toHaveLength(3 * (8 + 1 + 2 * 2));
    expect(new Set(attempts.map((a) => `${a.deliveryId}:${a.attemptNumber}`)).size).toBe(attempts.length);
    expect(await db.delivery.count({ where: { messageId: { in: ids }, status: "SUCCEEDED" } })).toBe(33);
  }, 90_000);

  /** A delivery whose attempt 2 is in flight (held by the receiver) when `stop` runs; attempt 1 got a 503. */
  async function stopDuringAttempt2(stop: (ref: { org: { id: string }; endpointId: string; actor: { id: string; email: string } }) => Promise<void>) {
    const r = await receiver({ kind: "sequence", modes: [{ kind: "status", status: 503 }, { kind: "hold" }] });
    const ref = await orgWithEndpoint(`${r.url}/hook`);
    const sent = await send(ref.org);
    await r.waitForRequests(2, 2 * ATTEMPT_BOUND_MS);
    await stop(ref);
    expect(r.release({ kind: "status", status: 503 })).toBe(1);
    return { r, messageId: sent.message.id };
  }

  it("disabling the endpoint during the schedule stops every further attempt", async () => {
    const { r, messageId } = await stopDuringAttempt2(async ({ org, endpointId, actor }) => {
      await setEndpointDisabled(org.id, endpointId, true, actor);
    });
    await waitFor("attempt 2 recorded", async () => (await attemptsOf(messageId)).length === 2, ATTEMPT_BOUND_MS);
    // The answer to the attempt in flight is recorded; the delivery keeps the reason it was stopped for.
    expect(await deliveryOf(messageId)).toMatchObject({ status: "FAILED", failureReason: "endpoint disabled" });
    await waitFor("run cancelled", async () => (await runStatusOf(messageId))[0] === "CANCELLED", ATTEMPT_BOUND_MS);
    await quiet(messageId);
    expect(r.total).toBe(2);
  });

  it("deleting the endpoint during the schedule stops every further attempt with reason \"endpoint deleted\"", async () => {
    const { r, messageId } = await stopDuringAttempt2(async ({ org, endpointId, actor }) => {
      const deleted = await deleteEndpoint(org.id, endpointId, actor);
      expect(deleted.ok).toBe(true);
    });
    await waitFor("attempt 2 recorded", async () => (await attemptsOf(messageId)).length === 2, ATTEMPT_BOUND_MS);
    expect(await deliveryOf(messageId)).toMatchObject({ status: "FAILED", failureReason: "endpoint deleted", nextAttemptAt: null });
    await waitFor("run cancelled", async () => (await runStatusOf(messageId))[0] === "CANCELLED", ATTEMPT_BOUND_MS);
    await quiet(messageId);
    expect(r.total).toBe(2);
  });

  it("an endpoint deleted without the cancel event (lost) is skipped when the next attempt comes due", async () => {
    // deleteEndpoint publishes its cancel in its own transaction; a cancel that never reached the
    // engine (Inngest's cancelOn missing a run, say) leaves the row deleted and the run alive.
    const { r, messageId } = await stopDuringAttempt2(async ({ endpointId }) => {
      await db.endpoint.update({ where: { id: endpointId }, data: { deletedAt: new Date(), disabled: true } });
    });
    await waitFor("run finished", async () => (await runStatusOf(messageId))[0] === "COMPLETED", 2 * ATTEMPT_BOUND_MS);
    expect(await deliveryOf(messageId)).toMatchObject({ status: "FAILED", failureReason: "endpoint deleted" });
    expect((await attemptsOf(messageId)).map((a) => a.attemptNumber)).toEqual([1, 2]);
    await quiet(messageId);
    expect(r.total).toBe(2);
  });

  it("a restart during the schedule still makes the next attempt on time, never one attempt twice", async () => {
    const r = await receiver({ kind: "fail-then-succeed", failures: 1 });
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    const sent = await send(org);
    await r.waitForRequests(1, ATTEMPT_BOUND_MS);
    await pipeline.stopExecutor();
    await pipeline.restartExecutor();
    const restarted = performance.timeOrigin + performance.now();
    const [first, second] = await r.waitForRequests(2, 2 * ATTEMPT_BOUND_MS);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(WAITS_MS - 50);
    // On time: within one attempt's bound of when it came due (the wait's end, or the restart if that took longer).
    expect(second!.receivedAt - Math.max(first!.receivedAt + WAITS_MS, restarted)).toBeLessThan(ATTEMPT_BOUND_MS);
    expect((await waitFor("delivery", finished(sent.message.id), ATTEMPT_BOUND_MS)).status).toBe("SUCCEEDED");
    expect((await attemptsOf(sent.message.id)).map((a) => a.attemptNumber)).toEqual([1, 2]);
    await quiet(sent.message.id);
    expect(r.total).toBe(2);
  });
});
