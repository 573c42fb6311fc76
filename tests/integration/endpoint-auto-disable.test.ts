import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { getEndpoint, setEndpointDisabled } from "@/lib/endpoints/endpoints";
import { sendEvent } from "@/lib/messages/send-event";
import { resendMessage } from "@/lib/recovery/resend";
import { waitFor } from "@/tests/helpers/executor-harness";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { createMember } from "@/tests/helpers/factories";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { quietAfterMarker, waitForRunsToEnd } from "@/tests/helpers/run-barrier";

/**
 * Endpoints that only fail for ENDPOINT_FAILURE_DISABLE_AFTER disable themselves, driven through
 * the real pipeline with a real failing receiver, a compressed schedule (an attempt a second) and
 * a three-second period; the mail goes to a loopback SMTP server. The environment is read once
 * per process, so SMTP_URL is set before anything reads it.
 */
const smtp = await vi.hoisted(async () => {
  const { startSmtpServer: start } = await import("@/tests/helpers/smtp-server");
  const server = await start();
  process.env.SMTP_URL = `smtp://127.0.0.1:${server.port}`;
  process.env.SMTP_FROM = "HookRelay Test <hooks@example.test>";
  return server;
});

const WAITS_MS = 1_000;
/** Enough attempts that a failing delivery is still being retried well after the period. */
const ATTEMPTS = 16;
const DISABLE_AFTER_MS = 3_000;
const ATTEMPT_TIMEOUT_MS = 3_000;
const ATTEMPT_BOUND_MS = WAITS_MS + PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS;
/**
 * Bounds for waits that end as soon as their condition holds: the period and the attempt that
 * finds it over come in seconds on an idle machine, but a loaded 2-core one can take many times
 * that, so the maximum is generous and costs nothing when things are fast.
 */
const LOADED_BOUND_MS = 10 * (DISABLE_AFTER_MS + ATTEMPT_BOUND_MS);
const TEST_TIMEOUT_MS = 4 * LOADED_BOUND_MS;

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({
    WEBHOOK_RETRY_SCHEDULE: Array(ATTEMPTS - 1).fill(`${WAITS_MS}ms`).join(","),
    WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
    ENDPOINT_FAILURE_DISABLE_AFTER: `${DISABLE_AFTER_MS / 1_000}s`,
  });
}, 60_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
  await smtp.close();
});

async function failingReceiver() {
  const r = await startReceiver({ mode: { kind: "status", status: 503, body: "down for maintenance" } });
  receivers.push(r);
  return r;
}

async function send(org: { id: string }, n = 1) {
  const result = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(n));
  if (!result.ok) throw new Error(result.message);
  return result.message.id;
}

const endpointRow = (id: string) => db.endpoint.findUniqueOrThrow({ where: { id } });
const disabledRow = (id: string) => async () => {
  const row = await endpointRow(id);
  return row.disabled ? row : undefined;
};
const firstAttemptOf = (messageId: string) =>
  waitFor("first attempt", async () => (await db.attempt.findFirst({ where: { messageId, attemptNumber: 1 } })) ?? undefined, LOADED_BOUND_MS);

/** The statuses of the message's retry runs (`deliver-message`), oldest first. */
async function runStatusOf(messageId: string): Promise<string[]> {
  const { rows } = await pipeline.database.pool.query<{ status: string }>(
    `SELECT status FROM executor_runs WHERE function_id LIKE '%deliver-message' AND event_id IN (SELECT id FROM executor_events WHERE data->>'messageId' = $1) ORDER BY created_at`,
    [messageId],
  );
  return rows.map((x) => x.status);
}

/** Nothing more arrives for these messages: see quietAfterMarker. */
async function quiet(...messageIds: string[]) {
  const sendMarker = async () => {
    const r = await startReceiver({ mode: { kind: "fail-then-succeed", failures: 1 } });
    receivers.push(r);
    return send((await orgWithEndpoint(`${r.url}/marker`)).org);
  };
  await quietAfterMarker(pipeline.database.pool, sendMarker, messageIds, LOADED_BOUND_MS);
}

describe("an endpoint that only fails is disabled after ENDPOINT_FAILURE_DISABLE_AFTER", () => {
  it("disables it, ends its pending deliveries and cancels their runs, audits it, and mails its owners and admins but not its viewers", async () => {
    const r = await failingReceiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`);
    const owner = await createMember(org.id, "OWNER");
    const admin = await createMember(org.id, "ADMIN");
    const viewer = await createMember(org.id, "VIEWER");

    // Two messages at once: both first attempts fail long before the period ends, however slow the
    // machine, so both are still being retried when the endpoint is disabled.
    const [first, second] = [await send(org, 1), await send(org, 2)];
    const firstAttempts = [await firstAttemptOf(first), await firstAttemptOf(second)];
    // The streak starts at the first failure recorded: the two attempts may be recorded in either order.
    const started = (await endpointRow(endpointId)).failingSince!;
    expect(firstAttempts.map((a) => a.startedAt.getTime())).toContain(started.getTime());

    const row = await waitFor("endpoint disabled", disabledRow(endpointId), LOADED_BOUND_MS);
    expect(row.autoDisabledAt!.getTime() - started.getTime()).toBeGreaterThanOrEqual(DISABLE_AFTER_MS);
    const failures = row.autoDisabledFailures!;
    expect(failures).toBeGreaterThanOrEqual(3);
    expect(row.autoDisabledError).toMatch(/503/);

    const view = await getEndpoint(org.id, endpointId);
    expect(view).toMatchObject({ disabled: true, automaticDisable: { at: row.autoDisabledAt, failingSince: started, failures, lastError: row.autoDisabledError } });

    for (const messageId of [first, second]) {
      const delivery = await db.delivery.findFirstOrThrow({ where: { messageId } });
      expect(delivery).toMatchObject({ status: "FAILED", failureReason: "endpoint disabled", nextAttemptAt: null });
      await waitFor("every retry run cancelled", async () => {
        const statuses = await runStatusOf(messageId);
        return statuses.length > 0 && statuses.every((s) => s === "CANCELLED");
      }, LOADED_BOUND_MS);
    }
    await quiet(first, second);
    // The count is the failed attempts recorded when it was disabled. An attempt already in flight
    // then (at most one per pending delivery: two here) is recorded when its answer comes; nothing
    // else reached the receiver.
    const recorded = await db.attempt.count({ where: { endpointId, succeeded: false } });
    expect(recorded - failures).toBeGreaterThanOrEqual(0);
    expect(recorded - failures).toBeLessThanOrEqual(2);
    expect(r.total).toBe(recorded);

    const audit = await db.auditLog.findMany({ where: { endpointId, action: { startsWith: "endpoint.disabled" } } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "endpoint.disabled_automatically",
      actorId: null,
      actorEmail: "HookRelay",
      organizationId: org.id,
      changes: { failingSince: started.toISOString(), failedAttempts: failures, lastError: row.autoDisabledError },
    });

    const mailTo = (email: string) => smtp.messages.filter((m) => m.to.some((t) => t.includes(email)));
    await waitFor("mail to the admin", async () => mailTo(admin.email).length > 0 || undefined, LOADED_BOUND_MS);
    expect(mailTo(owner.email)).toHaveLength(1);
    expect(mailTo(admin.email)).toHaveLength(1);
    expect(mailTo(viewer.email)).toHaveLength(0);
    const mail = mailTo(owner.email)[0]!.data.replace(/=\r\n/g, "");
    expect(mail).toMatch(/Subject: Webhook endpoint disabled:/);
    expect(mail).toContain(endpointId);
    expect(mail).toContain(`${failures} failed attempts`);
  }, TEST_TIMEOUT_MS);

  it("hands over no retry for a delivery whose first attempt disabled the endpoint: no run is left to wake for nothing", async () => {
    const r = await failingReceiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`);
    await db.endpoint.update({ where: { id: endpointId }, data: { failingSince: new Date(Date.now() - 2 * DISABLE_AFTER_MS) } });

    const messageId = await send(org, 1);
    await waitFor("endpoint disabled", disabledRow(endpointId), LOADED_BOUND_MS);
    // Every event naming the message dispatched, every run it started ended: a retry handed over
    // by the first-attempt run would be among them.
    await waitForRunsToEnd(pipeline.database.pool, messageId, LOADED_BOUND_MS);
    expect(await db.delivery.findFirstOrThrow({ where: { messageId } })).toMatchObject({ status: "FAILED", failureReason: "endpoint disabled", nextAttemptAt: null });
    expect(await runStatusOf(messageId)).toEqual([]);
    expect(r.total).toBe(1);
  }, TEST_TIMEOUT_MS);

  it("starts the clock again after a success: only the failures since it count", async () => {
    const r = await failingReceiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`);

    // The receiver answers the retry, however late it comes: a success is never what disables.
    r.setMode({ kind: "fail-then-succeed", failures: 1, failStatus: 503 });
    const early = await send(org, 1);
    await waitFor("success", async () => (await db.delivery.findFirst({ where: { messageId: early, status: "SUCCEEDED" } })) ?? undefined, LOADED_BOUND_MS);
    expect(await db.attempt.count({ where: { messageId: early, succeeded: false } })).toBe(1);
    expect((await endpointRow(endpointId)).failingSince).toBeNull();

    r.setMode({ kind: "status", status: 503 });
    const late = await send(org, 2);
    const restarted = (await firstAttemptOf(late)).startedAt;
    expect((await endpointRow(endpointId)).failingSince).toEqual(restarted);

    const row = await waitFor("endpoint disabled", disabledRow(endpointId), LOADED_BOUND_MS);
    expect(row.autoDisabledAt!.getTime() - restarted.getTime()).toBeGreaterThanOrEqual(DISABLE_AFTER_MS);
    // The early message's failures were before the success: they do not count.
    expect(row.autoDisabledFailures).toBe(await db.attempt.count({ where: { messageId: late, succeeded: false } }));
    const audit = await db.auditLog.findFirstOrThrow({ where: { endpointId, action: "endpoint.disabled_automatically" } });
    expect(audit.changes).toMatchObject({ failingSince: restarted.toISOString() });
  }, TEST_TIMEOUT_MS);

  it("ends a streak on a manual resend that succeeds, and leaves it on one that fails (as Svix)", async () => {
    const r = await startReceiver({ mode: { kind: "status", status: 200 } });
    receivers.push(r);
    const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
    const messageId = await send(org, 1);
    await waitFor("delivered", async () => (await db.delivery.findFirst({ where: { messageId, status: "SUCCEEDED" } })) ?? undefined, LOADED_BOUND_MS);
    const since = new Date(Date.now() - 1_000);
    await db.endpoint.update({ where: { id: endpointId }, data: { failingSince: since } });

    r.setMode({ kind: "status", status: 500 });
    expect(await resendMessage({ id: org.id, webhooksEnabled: true }, endpointId, messageId, { confirmDelivered: true }, actor)).toMatchObject({ ok: true, attempt: { ok: false } });
    expect((await endpointRow(endpointId)).failingSince).toEqual(since);
    r.setMode({ kind: "status", status: 200 });
    expect(await resendMessage({ id: org.id, webhooksEnabled: true }, endpointId, messageId, { confirmDelivered: true }, actor)).toMatchObject({ ok: true, attempt: { ok: true } });
    expect((await endpointRow(endpointId)).failingSince).toBeNull();
  }, TEST_TIMEOUT_MS);

  it("clears the automatic disable when enabled by hand, and restarts the clock from the next failure", async () => {
    const r = await failingReceiver();
    const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
    await send(org, 1);
    await waitFor("endpoint disabled", disabledRow(endpointId), LOADED_BOUND_MS);

    expect(await setEndpointDisabled(org.id, endpointId, false, actor)).toEqual({ ok: true, changed: true });
    expect(await endpointRow(endpointId)).toMatchObject({ disabled: false, failingSince: null, autoDisabledAt: null, autoDisabledFailures: null, autoDisabledError: null });
    expect((await getEndpoint(org.id, endpointId))!.automaticDisable).toBeNull();

    const enabledAt = new Date();
    const next = await send(org, 2);
    const restarted = (await firstAttemptOf(next)).startedAt;
    expect(restarted.getTime()).toBeGreaterThanOrEqual(enabledAt.getTime() - 1_000);
    expect((await endpointRow(endpointId)).failingSince).toEqual(restarted);
    const row = await waitFor("disabled again", disabledRow(endpointId), LOADED_BOUND_MS);
    expect(row.autoDisabledAt!.getTime() - restarted.getTime()).toBeGreaterThanOrEqual(DISABLE_AFTER_MS);
  }, TEST_TIMEOUT_MS);
});
