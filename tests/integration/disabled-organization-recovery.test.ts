import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resendMessageAction, startBulkResendAction, startRecoveryAction } from "@/actions/recovery";
import * as recoverRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/recover/route";
import * as replayMissingRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/replay-missing/route";
import * as resendRoute from "@/app/api/v1/app/[app_id]/msg/[msg_id]/endpoint/[endpoint_id]/resend/route";
import * as portalAccessRoute from "@/app/api/v1/auth/app-portal-access/[app_id]/route";
import { POST as openPortalSession } from "@/app/portal/[organization]/session/route";
import { db } from "@/lib/db";
import { setEndpointDisabled } from "@/lib/endpoints/endpoints";
import { sendEvent } from "@/lib/messages/send-event";
import { ORGANIZATION_DISABLED, organizationDisabledMessage } from "@/lib/organizations/disabled";
import { setOrganizationDisabled } from "@/lib/organizations/organizations";
import { PORTAL_COOKIE } from "@/lib/portal/cookie";
import { portalSessionPath } from "@/lib/routes";
import { getTask } from "@/lib/recovery/tasks";
import { callRoute, organizationKey, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { signInAs } from "@/tests/helpers/auth-mock";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { createMember } from "@/tests/helpers/factories";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";

/** The portal cookie the server code sees through `next/headers` (none unless a test holds one). */
const browser = vi.hoisted(() => ({ cookies: new Map<string, string>() }));

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": "http" }),
  cookies: async () => ({
    get: (name: string) => (browser.cookies.has(name) ? { name, value: browser.cookies.get(name)! } : undefined),
    has: (name: string) => browser.cookies.has(name),
  }),
}));

/**
 * Recovery in an organization platform staff disabled (docs/delivery.md, "Disabled organizations"):
 * members and portal visitors are refused windowed recovery, bulk resend and resend, its own API
 * keys are refused on every call, and platform keys still resend. Unlike organization-disabled.test.ts
 * (unknown ids, to show the refusal comes first), every call here names a real failed delivery that
 * would be sent but for the rule, on the whole pipeline with a real receiver on 127.0.0.1, and the
 * same call goes through once the organization is enabled again.
 */

const ATTEMPT_TIMEOUT_MS = 3_000;
const BOUND_MS = 6 * (PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS + PIPELINE_EXECUTOR.leaseMs);
const STAFF = { id: null, email: "staff@hookrelay.test" };

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  // One wait of an hour: a delivery that failed its first attempt stays pending until the endpoint is disabled.
  pipeline = await startDeliveryPipeline({ WEBHOOK_RETRY_SCHEDULE: "1h", WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS) });
}, 60_000);

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

beforeEach(() => {
  signInAs(null);
  browser.cookies.clear();
});

/**
 * An organization whose one endpoint has a FAILED delivery (its receiver was down, then the
 * endpoint was disabled and enabled again), its receiver now answering 200, and an admin; then
 * staff disable the organization.
 */
async function disabledWithFailedDelivery() {
  const r = await startReceiver({ mode: { kind: "status", status: 503 } });
  receivers.push(r);
  const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
  const admin = await createMember(org.id, "ADMIN");
  const key = await organizationKey(org.id);
  const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(1));
  if (!sent.ok) throw new Error(sent.message);
  const messageId = sent.message.id;
  await waitFor("the first attempt to fail", async () => {
    const d = await db.delivery.findUnique({ where: { messageId_endpointId: { messageId, endpointId } } });
    return d?.status === "PENDING" && d.attemptCount === 1 ? true : undefined;
  }, BOUND_MS);
  expect(await setEndpointDisabled(org.id, endpointId, true, actor)).toMatchObject({ ok: true, changed: true });
  expect(await setEndpointDisabled(org.id, endpointId, false, actor)).toMatchObject({ ok: true, changed: true });
  const delivery = await db.delivery.findUniqueOrThrow({ where: { messageId_endpointId: { messageId, endpointId } } });
  expect(delivery.status).toBe("FAILED");
  r.setMode({ kind: "status", status: 200 });
  r.reset();
  expect(await setOrganizationDisabled(org.id, true, STAFF)).toMatchObject({ ok: true });
  return { r, org, endpointId, admin, key, messageId, deliveryId: delivery.id };
}

const since = () => new Date(Date.now() - 3_600_000).toISOString();
const webhookIds = (r: Receiver) => r.requests.map((q) => q.headers["webhook-id"]);
const manualAttempts = (deliveryId: string) => db.attempt.count({ where: { deliveryId, trigger: "MANUAL" } });

const resendApi = (app: string, messageId: string, endpointId: string, key: string) => callRoute(resendRoute, "POST", `/api/v1/app/${app}/msg/${messageId}/endpoint/${endpointId}/resend`, key);
const recoverApi = (app: string, endpointId: string, key: string) => callRoute(recoverRoute, "POST", `/api/v1/app/${app}/endpoint/${endpointId}/recover`, key, { since: since() });
const replayApi = (app: string, endpointId: string, key: string) => callRoute(replayMissingRoute, "POST", `/api/v1/app/${app}/endpoint/${endpointId}/replay-missing`, key, { since: since() });

/** The portal's entry: a link's token traded for its session cookie. */
function enterPortal(organization: string, token: string) {
  const request = new Request(`http://127.0.0.1:3000${portalSessionPath(organization)}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
  return openPortalSession(request, { params: Promise.resolve({ organization }) });
}

async function finished(organizationId: string, taskId: string) {
  return waitFor("the task to finish", async () => {
    const task = await getTask(organizationId, taskId);
    return task && task.status !== "QUEUED" && task.status !== "RUNNING" ? task : undefined;
  }, BOUND_MS);
}

describe("recovery in a disabled organization", () => {
  it("refuses a member's windowed recovery, replay, bulk resend and resend of a failed delivery (organization_disabled); enabled again, they run", async () => {
    const s = await disabledWithFailedDelivery();
    signInAs(s.admin.id);
    const recover = () => startRecoveryAction({ org: s.org.slug, endpointId: s.endpointId, kind: "resend_failed", since: since() });
    const refusal = { ok: false, code: ORGANIZATION_DISABLED, error: organizationDisabledMessage.dashboard };

    expect(await recover()).toEqual(refusal);
    expect(await startRecoveryAction({ org: s.org.slug, endpointId: s.endpointId, kind: "replay_missing", since: since() })).toEqual(refusal);
    expect(await startBulkResendAction({ org: s.org.slug, filters: { endpoint: s.endpointId, status: "failed" } })).toEqual(refusal);
    expect(await startBulkResendAction({ org: s.org.slug, filters: {} })).toEqual(refusal);
    expect(await resendMessageAction({ org: s.org.slug, endpointId: s.endpointId, messageId: s.messageId })).toEqual(refusal);
    expect(await db.backgroundTask.count({ where: { organizationId: s.org.id } })).toBe(0);
    expect(await manualAttempts(s.deliveryId)).toBe(0);
    expect(s.r.total).toBe(0);

    expect(await setOrganizationDisabled(s.org.id, false, STAFF)).toMatchObject({ ok: true });
    const started = await recover();
    if (!started.ok) throw new Error(started.error);
    expect(await finished(s.org.id, started.data.id)).toMatchObject({ status: "FINISHED", total: 1, succeeded: 1 });
    expect(webhookIds(s.r)).toEqual([s.messageId]);
  });

  it("refuses its own API key's recover, replay-missing and resend (403 organization_disabled), and starts nothing", async () => {
    const s = await disabledWithFailedDelivery();
    for (const answer of [await recoverApi(s.org.slug, s.endpointId, s.key), await replayApi(s.org.slug, s.endpointId, s.key), await resendApi(s.org.slug, s.messageId, s.endpointId, s.key)]) {
      expect(await problemOf(answer)).toMatchObject({ status: 403, body: { code: ORGANIZATION_DISABLED, detail: organizationDisabledMessage.apiKey } });
    }
    expect(await db.backgroundTask.count({ where: { organizationId: s.org.id } })).toBe(0);
    expect(await manualAttempts(s.deliveryId)).toBe(0);
    expect(s.r.total).toBe(0);

    expect(await setOrganizationDisabled(s.org.id, false, STAFF)).toMatchObject({ ok: true });
    expect(await (await resendApi(s.org.slug, s.messageId, s.endpointId, s.key)).json()).toMatchObject({ attempt: { trigger: "manual", succeeded: true, statusCode: 200 } });
  });

  it("refuses a portal visitor whose link was opened before the disable: its operations are refused, the link does not open (403) and no new link is given (403)", async () => {
    const s = await disabledWithFailedDelivery();
    const platform = await platformKey();
    expect(await setOrganizationDisabled(s.org.id, false, STAFF)).toMatchObject({ ok: true });
    const link = (await (await callRoute(portalAccessRoute, "POST", `/api/v1/auth/app-portal-access/${s.org.slug}`, platform, {})).json()) as { token: string };
    browser.cookies.set(PORTAL_COOKIE, link.token);
    expect(await setOrganizationDisabled(s.org.id, true, STAFF)).toMatchObject({ ok: true });

    const recover = () => startRecoveryAction({ org: s.org.slug, endpointId: s.endpointId, kind: "resend_failed", since: since() });
    const resend = () => resendMessageAction({ org: s.org.slug, endpointId: s.endpointId, messageId: s.messageId });
    // The link's session ends (its wording is portal.test.ts's); each operation meets the same refusal.
    const refused = await recover();
    expect(refused).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await resend()).toEqual(refused);
    expect(await startBulkResendAction({ org: s.org.slug, filters: {} })).toEqual(refused);
    expect(await problemOf(await callRoute(portalAccessRoute, "POST", `/api/v1/auth/app-portal-access/${s.org.slug}`, platform, {}))).toMatchObject({
      status: 403,
      body: { code: "forbidden", detail: organizationDisabledMessage.portalLinkRequest },
    });
    const entry = await enterPortal(s.org.slug, link.token);
    expect(entry.status).toBe(403);
    expect(await entry.json()).toEqual({ code: ORGANIZATION_DISABLED, message: organizationDisabledMessage.portalVisitor });
    expect(await db.backgroundTask.count({ where: { organizationId: s.org.id } })).toBe(0);
    expect(s.r.total).toBe(0);

    // The same link works again once the organization is enabled: the disable was the only refusal.
    expect(await setOrganizationDisabled(s.org.id, false, STAFF)).toMatchObject({ ok: true });
    expect((await enterPortal(s.org.slug, link.token)).status).toBe(200);
    expect(await resend()).toMatchObject({ ok: true, data: { ok: true, statusCode: 200 } });
    expect(webhookIds(s.r)).toEqual([s.messageId]);
  });

  it("still lets a platform key resend and recover through the API: the attempt is made while the organization stays disabled", async () => {
    const s = await disabledWithFailedDelivery();
    const platform = await platformKey();

    const recovered = await recoverApi(s.org.slug, s.endpointId, platform);
    expect(recovered.status).toBe(202);
    expect(await finished(s.org.id, ((await recovered.json()) as { id: string }).id)).toMatchObject({ status: "FINISHED", total: 1, succeeded: 1 });
    expect(webhookIds(s.r)).toEqual([s.messageId]);

    // Delivered now: the API's resend is itself the confirmation, and goes out again.
    const resent = await resendApi(s.org.slug, s.messageId, s.endpointId, platform);
    expect(resent.status).toBe(202);
    expect(await resent.json()).toMatchObject({ attempt: { trigger: "manual", succeeded: true, statusCode: 200 } });
    expect(webhookIds(s.r)).toEqual([s.messageId, s.messageId]);
    expect(await manualAttempts(s.deliveryId)).toBe(2);
    expect(await db.delivery.findUniqueOrThrow({ where: { id: s.deliveryId } })).toMatchObject({ status: "SUCCEEDED" });
    expect((await db.organization.findUniqueOrThrow({ where: { id: s.org.id } })).disabledAt).not.toBeNull();
  });
});
