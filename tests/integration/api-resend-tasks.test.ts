import { describe, expect, it } from "vitest";
import { GET as getAttempt } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/attempt/[attempt_id]/route";
import { POST as resend } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/endpoint/[endpoint_id]/resend/route";
import { GET as getTask } from "@/app/api/v1/background-task/[task_id]/route";
import { GET as listTasks } from "@/app/api/v1/background-task/route";
import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { startRecovery } from "@/lib/recovery/tasks";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { waitFor } from "@/tests/helpers/executor-harness";
import { RECOVERY_BOUND_MS as BOUND_MS, startRecoveryPipeline } from "@/tests/helpers/recovery-harness";

/**
 * Resending one message and reading background tasks through the API, on the whole delivery
 * pipeline (real receiver on 127.0.0.1, real executor). Moved here from api-recovery.test.ts.
 */

const { orgWithFailedDeliveries: setup } = startRecoveryPipeline();

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> & { code?: string; data?: Record<string, unknown>[] } });

async function resendCall(app: string, msg: string, endpoint: string, key: string, body?: unknown) {
  const request = new Request(`http://127.0.0.1/api/v1/app/${app}/msg/${msg}/endpoint/${endpoint}/resend`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return json(await resend(request));
}

const taskCall = async (id: string, key: string) => json(await getTask(new Request(`http://127.0.0.1/api/v1/background-task/${id}`, { headers: { authorization: `Bearer ${key}` } })));
const listCall = async (query: string, key: string) => json(await listTasks(new Request(`http://127.0.0.1/api/v1/background-task${query}`, { headers: { authorization: `Bearer ${key}` } })));
const hourAgo = () => new Date(Date.now() - 3_600_000);

describe("POST /api/v1/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend", () => {
  it("makes one manual attempt now and answers 202 with it; a delivered message is sent again without a confirmation, as Svix does", async () => {
    const { r, org, endpointId, key, failed } = await setup(1);
    const answer = await resendCall(org.slug, failed[0]!, endpointId, key);
    expect(answer).toMatchObject({ status: 202, body: { attempt: { id: expect.stringMatching(/^atmpt_/), trigger: "manual", succeeded: true, statusCode: 200, error: null } } });
    expect(r.total).toBe(1);
    // The attempt is readable as a MessageAttemptOut.
    const attemptId = (answer.body.attempt as { id: string }).id;
    const read = await json(await getAttempt(new Request(`http://127.0.0.1/api/v1/app/${org.slug}/msg/${failed[0]}/attempt/${attemptId}`, { headers: { authorization: `Bearer ${key}` } })));
    expect(read).toMatchObject({ status: 200, body: { id: attemptId, triggerType: 1, status: 0, responseStatusCode: 200, endpointId } });

    // Delivered now: resent again on request (by the message's eventId), recorded as such in the audit log.
    expect(await resendCall(org.slug, "evt-1", endpointId, key)).toMatchObject({ status: 202, body: { attempt: { succeeded: true } } });
    expect(r.total).toBe(2);
    const audits = await db.auditLog.findMany({ where: { organizationId: org.id, action: "message.resent" }, orderBy: { createdAt: "asc" } });
    expect(audits.map((a) => (a.changes as { wasDelivered: boolean }).wasDelivered)).toEqual([false, true]);
    expect(audits[0]!.actorEmail).toMatch(/^API key "ops"/);
    // A body (the old confirmDelivered) is ignored.
    expect(await resendCall(org.slug, failed[0]!, endpointId, key, { confirmDelivered: true })).toMatchObject({ status: 202 });
  });

  it("refuses unknown messages and endpoints (404), another organization (403), and a message never sent to the endpoint (409)", async () => {
    const { org, endpointId, key, failed, actor } = await setup(1);
    const other = await setup(0);
    expect(await resendCall(org.slug, "msg_0000000000000000000000", endpointId, key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await resendCall(org.slug, failed[0]!, "ep_0000000000000000000000", key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await resendCall(org.slug, failed[0]!, other.endpointId, key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await resendCall(other.org.slug, failed[0]!, endpointId, key)).toMatchObject({ status: 403, body: { code: "forbidden" } });
    const unsent = await createEndpoint(org.id, endpointConfigSchema.parse({ url: "http://127.0.0.1:9/never", eventTypes: ["offer.accepted"], rateLimit: "" }), actor);
    if (!unsent.ok) throw new Error(unsent.message);
    expect(await resendCall(org.slug, failed[0]!, unsent.id, key)).toMatchObject({ status: 409, body: { code: "not_attempted" } });
  });
});

describe("GET /api/v1/background-task and /api/v1/background-task/{task_id}", () => {
  it("shows an organization key its own tasks only, a platform key every task, with Svix's statuses and types", async () => {
    const { org, endpointId, actor, key } = await setup(1);
    const other = await setup(0);
    const platformKey = (await createApiKey({ name: "platform", scope: "PLATFORM", organizationId: null, createdById: actor.id })).key;
    const recover = await startRecovery(org, actor, endpointId, "resend_failed", { since: hourAgo(), until: new Date() });
    if (!recover.ok) throw new Error(recover.message);
    const id = recover.task.id;
    const done = await waitFor("the task to finish", async () => {
      const task = await taskCall(id, key);
      return task.body.status === "finished" ? task : undefined;
    }, BOUND_MS);
    expect(done).toMatchObject({ status: 200, body: { id, status: "finished", task: "endpoint.recover", updatedAt: expect.any(String), data: { state: "finished", total: 1, succeeded: 1, endpointId } } });
    const replay = await startRecovery(other.org, actor, other.endpointId, "replay_missing", { since: hourAgo(), until: new Date() });
    if (!replay.ok) throw new Error(replay.message);

    expect(await taskCall(id, other.key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await taskCall(id, platformKey)).toMatchObject({ status: 200, body: { id } });
    expect(await taskCall("qtask_nope", key)).toMatchObject({ status: 404, body: { code: "not_found" } });

    const own = await listCall("", key);
    expect(own.body.data!.map((t) => t.id)).toEqual([id]);
    expect(own.body).toMatchObject({ done: true });
    const all = (await listCall("?limit=250", platformKey)).body.data!.map((t) => t.id);
    expect(all).toEqual(expect.arrayContaining([id, replay.task.id]));
    expect(all.indexOf(replay.task.id)).toBeLessThan(all.indexOf(id));
    expect((await listCall("?task=endpoint.replay&limit=250", platformKey)).body.data!.map((t) => t.task)).not.toContain("endpoint.recover");
    expect((await listCall("?task=endpoint.replay", key)).body.data).toEqual([]);
    expect((await listCall("?status=finished", key)).body.data!.map((t) => t.id)).toEqual([id]);
    expect((await listCall("?status=running", key)).body.data).toEqual([]);

    for (const [query, field] of [["?status=done", "status"], ["?task=sdk.generate", "task"], ["?order=sideways", "order"], ["?limit=0", "limit"]] as const) {
      expect(await listCall(query, key), query).toMatchObject({ status: 422, body: { code: "invalid_query", detail: [{ loc: ["query", field] }] } });
    }
    expect((await listCall("", "hr_org_nope")).status).toBe(401);
  });
});
