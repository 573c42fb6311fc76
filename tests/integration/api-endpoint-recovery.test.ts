import { describe, expect, it } from "vitest";
import { POST as recover } from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/recover/route";
import { POST as replayMissing } from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/replay-missing/route";
import { db } from "@/lib/db";
import { setEndpointDisabled } from "@/lib/endpoints/endpoints";
import { sendEvent } from "@/lib/messages/send-event";
import { getTask } from "@/lib/recovery/tasks";
import { waitFor } from "@/tests/helpers/executor-harness";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { RECOVERY_BOUND_MS as BOUND_MS, startRecoveryPipeline } from "@/tests/helpers/recovery-harness";

/** Recover and replay-missing through the API (moved here from api-recovery.test.ts with their operations). */

const { orgWithFailedDeliveries: setup } = startRecoveryPipeline();

function post(handler: typeof recover, app: string, endpoint: string, body: unknown, key: string) {
  const request = new Request(`http://127.0.0.1/api/v1/app/${app}/endpoint/${endpoint}/${handler === recover ? "recover" : "replay-missing"}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return handler(request);
}

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> & { code?: string } });
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

describe("POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/recover", () => {
  it("answers 202 with a background task shaped like Svix's RecoverOut that resends each failed message once, audited with the key", async () => {
    const { r, org, endpointId, key, failed } = await setup(2);
    const started = await json(await post(recover, org.slug, endpointId, { since: hourAgo() }, key));
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ id: expect.stringMatching(/^qtask_/), status: "running", task: "endpoint.recover", updatedAt: expect.any(String) });
    const id = started.body.id as string;
    const done = await waitFor("the task to finish", async () => {
      const task = await getTask(org.id, id);
      return task?.status === "FINISHED" ? task : undefined;
    }, BOUND_MS);
    expect(done).toMatchObject({ kind: "RESEND_FAILED", total: 2, processed: 2, succeeded: 2, failed: 0, endpointId });
    expect(r.requests.map((q) => q.headers["webhook-id"]).sort()).toEqual([...failed].sort());
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.id, action: "recovery.resend_failed" } });
    expect(audit.actorId).toBeNull();
    expect(audit.actorEmail).toMatch(/^API key "ops"/);
  });

  it("refuses bad input with a stable code and starts nothing", async () => {
    const { org, endpointId, key } = await setup(1);
    const other = await setup(0);
    const cases: [unknown, number, string][] = [
      [{}, 422, "invalid_body"],
      [{ since: "yesterday" }, 422, "invalid_body"],
      [{ since: hourAgo(), until: new Date(Date.now() - 7_200_000).toISOString() }, 422, "invalid_body"],
      [{ since: new Date(Date.now() - 15 * 86_400_000).toISOString() }, 422, "invalid_body"],
      [[], 422, "invalid_body"],
      ["{not json", 400, "invalid_json"],
    ];
    for (const [body, status, code] of cases) {
      const answer = await json(await post(recover, org.slug, endpointId, body, key));
      expect([answer.status, answer.body.code], JSON.stringify(body)).toEqual([status, code]);
    }
    // Another organization's endpoint, through this organization: not found. Another organization: forbidden.
    expect(await json(await post(recover, org.slug, other.endpointId, { since: hourAgo() }, key))).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await json(await post(recover, other.org.slug, other.endpointId, { since: hourAgo() }, key))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await db.backgroundTask.count({ where: { organizationId: { in: [org.id, other.org.id] } } })).toBe(0);
    expect((await json(await post(recover, org.slug, endpointId, { since: hourAgo() }, "hr_org_nope"))).status).toBe(401);
  });

  it("refuses a disabled endpoint (enable it first) and a second identical request while the first runs", async () => {
    const { r, org, endpointId, actor, key } = await setup(3);
    r.setMode({ kind: "hold" });
    const first = await json(await post(recover, org.slug, endpointId, { since: hourAgo() }, key));
    expect(first.status).toBe(202);
    await r.waitForRequests(1, BOUND_MS);
    const second = await json(await post(recover, org.slug, endpointId, { since: hourAgo() }, key));
    expect(second).toMatchObject({ status: 409, body: { code: "operation_in_progress", taskId: first.body.id } });
    r.setMode({ kind: "status", status: 200 });
    r.release();
    await waitFor("the first task to finish", async () => ((await getTask(org.id, first.body.id as string))?.status === "FINISHED" ? true : undefined), BOUND_MS);

    await setEndpointDisabled(org.id, endpointId, true, actor);
    const disabled = await json(await post(replayMissing, org.slug, endpointId, { since: hourAgo() }, key));
    expect(disabled).toMatchObject({ status: 409, body: { code: "endpoint_disabled", detail: expect.stringMatching(/enable it first/) } });
  });
});

describe("POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/replay-missing", () => {
  it("answers 202 with an endpoint.replay task that delivers the messages the endpoint never had, by endpoint uid too", async () => {
    const { r, org, endpointId, actor, key } = await setup(0);
    await db.endpoint.update({ where: { id: endpointId }, data: { uid: "main" } });
    await setEndpointDisabled(org.id, endpointId, true, actor);
    const missed = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(9));
    if (!missed.ok) throw new Error(missed.message);
    await setEndpointDisabled(org.id, endpointId, false, actor);
    const started = await json(await post(replayMissing, org.slug, "main", { since: hourAgo(), until: new Date(Date.now() + 1000).toISOString() }, key));
    expect(started).toMatchObject({ status: 202, body: { status: "running", task: "endpoint.replay" } });
    await r.waitForRequests(1, BOUND_MS);
    expect(r.requests.map((q) => q.headers["webhook-id"])).toEqual([missed.message.id]);
  });
});
