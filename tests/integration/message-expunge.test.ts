import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { expungeMessageAction } from "@/actions/messages";
import { previewRecoveryAction, resendMessageAction } from "@/actions/recovery";
import { DELETE as expungeAttemptRoute } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/attempt/[attempt_id]/content/route";
import { GET as getAttemptRoute } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/attempt/[attempt_id]/route";
import { POST as portalAccessRoute } from "@/app/api/v1/auth/app-portal-access/[app_id]/route";
import { DELETE as expungeMessageRoute } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/content/route";
import { POST as resendRoute } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/endpoint/[endpoint_id]/resend/route";
import { GET as getMessageRoute } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/route";
import { GET as listMessagesRoute, POST as createMessageRoute } from "@/app/api/v1/app/[app_id]/msg/route";
import { db } from "@/lib/db";
import { recordScheduledAttempts } from "@/lib/delivery/store";
import { EXPUNGED_REASON, expungeMessage, lockMessage } from "@/lib/delivery/store/expunge";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { ids } from "@/lib/ids";
import { PORTAL_COOKIE } from "@/lib/portal/cookie";
import { getMessageDetail } from "@/lib/messages/detail";
import { exportAttempts, exportMessages } from "@/lib/messages/export";
import { listMessages, type MessageSelection } from "@/lib/messages/list";
import { EXPUNGED_SKIP, runTaskBatch } from "@/lib/recovery/run";
import { snapshotSelection, storeSelection, type RecoverySelection } from "@/lib/recovery/selection";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { messageLogFiltersSchema } from "@/lib/validations/message-logs";
import { organizationKey, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { signInAs } from "@/tests/helpers/auth-mock";
import { contractCreated, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { quietAfterMarker } from "@/tests/helpers/run-barrier";
import { waitFor } from "@/tests/helpers/executor-harness";
import { createMember, createOrg } from "@/tests/helpers/factories";
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
 * Content expunge (Svix's `message.expunge-content` and `message-attempt.expunge-content`, and the
 * message detail's Expunge) on the whole delivery pipeline: a real receiver on 127.0.0.1 answers
 * with personal data in its body and headers, the executor delivers, and after the expunge no row
 * of the database holds the payload or the answer any more.
 */

/** Retries wait long enough for a test to expunge between two attempts, even on a loaded machine. */
const WAIT_MS = 4_000;
const ATTEMPT_TIMEOUT_MS = 3_000;
const BOUND_MS = 4 * (WAIT_MS + PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS);

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({ WEBHOOK_RETRY_SCHEDULE: `${WAIT_MS}ms,${WAIT_MS}ms`, WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS) });
}, 60_000);

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

/** Personal data in the payload, in the receiver's body and in its headers, unique per test (the database is searched whole): none of it may be left. */
const secretsOf = (person: string) => ({ payload: `${person}.payload@example.test`, body: `${person}-response-body`, header: `${person}-cookie` });
type Secrets = ReturnType<typeof secretsOf>;

async function receiver(mode: Parameters<Receiver["setMode"]>[0]) {
  const r = await startReceiver({ mode });
  receivers.push(r);
  return r;
}

const answering = (secrets: Secrets) => ({
  kind: "status" as const,
  status: 200,
  body: JSON.stringify({ customer: secrets.body }),
  headers: { "set-cookie": `session=${secrets.header}`, "content-type": "application/json" },
});

/** An organization with webhooks on, its admin, viewer and API key, and one endpoint at `url` for contract.created. */
async function organization(url: string) {
  const org = await createOrg({ webhooksEnabled: true });
  const admin = await createMember(org.id, "ADMIN");
  const viewer = await createMember(org.id, "VIEWER");
  const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url, eventTypes: ["contract.created"], rateLimit: "" }), { id: admin.id, email: admin.email });
  if (!created.ok) throw new Error(created.message);
  return { org, admin, viewer, endpointId: created.id, key: await organizationKey(org.id) };
}

const request = (method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://127.0.0.1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });

/** Sends through the API with an idempotency key, as the SDKs do: its kept answer holds the payload too. */
async function sendMessage(app: string, key: string, secrets: Secrets, n = 1): Promise<string> {
  const event = contractCreated(n);
  const answer = await json(await createMessageRoute(request("POST", `/api/v1/app/${app}/msg`, key, { ...event, payload: { ...event.payload, customer_email: secrets.payload } }, { "idempotency-key": `key-${app}-${n}` })));
  expect(answer.status).toBe(202);
  return answer.body.id as string;
}

/** Nothing more arrives for these messages: see quietAfterMarker. */
async function quiet(...messageIds: string[]) {
  const sendMarker = async () => {
    const r = await receiver({ kind: "fail-then-succeed", failures: 1 });
    const { org, key } = await organization(`${r.url}/marker`);
    return sendMessage(org.slug, key, secretsOf("marker"));
  };
  await quietAfterMarker(pipeline.database.pool, sendMarker, messageIds, BOUND_MS);
}

/** Every row of every table of the database, as text, that contains `text`: "gone" means none. */
async function rowsContaining(text: string): Promise<string[]> {
  const tables = await db.$queryRaw<{ name: string }[]>`SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'`;
  const found: string[] = [];
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM ${name} t WHERE t::text LIKE $1`, `%${text}%`);
    if (row!.count > 0) found.push(`${name}: ${row!.count}`);
  }
  return found;
}

async function readAll(chunks: AsyncGenerator<string>) {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe("expunging a delivered message from the dashboard", () => {
  it("overwrites the payload and the receiver's answer everywhere, says so with when, refuses resends, and is audited once", async () => {
    const secrets = secretsOf("jane");
    const r = await receiver(answering(secrets));
    const { org, admin, viewer, endpointId, key } = await organization(`${r.url}/hook`);
    const messageId = await sendMessage(org.slug, key, secrets);
    await r.waitForRequests(1, BOUND_MS);
    await waitFor("the attempt to be recorded", async () => (await db.delivery.findFirst({ where: { messageId, status: "SUCCEEDED" } })) ?? undefined, BOUND_MS);
    // A test receiver of the organization kept the request too (its body is the payload).
    const testReceiver = await db.testReceiver.create({ data: { organizationId: org.id, token: `tr-${messageId}`, name: "kept copy" } });
    await db.testReceiverRequest.create({ data: { receiverId: testReceiver.id, webhookId: messageId, headers: {}, body: new TextDecoder().decode(r.requests[0]!.body), signatureStatus: "verified" } });
    for (const secret of Object.values(secrets)) expect(await rowsContaining(secret), secret).not.toEqual([]);
    const search = messageLogFiltersSchema.parse({ contains: JSON.stringify({ customer_email: secrets.payload }) });
    expect((await listMessages(org.id, search)).items.map((m) => m.id)).toEqual([messageId]);

    // A viewer, an admin of another organization, and a portal link's visitor with admin access, are refused by the server.
    signInAs(viewer.id);
    expect(await expungeMessageAction({ org: org.slug, messageId })).toMatchObject({ ok: false, code: "forbidden" });
    const stranger = await createMember((await createOrg()).id, "ADMIN");
    signInAs(stranger.id);
    expect(await expungeMessageAction({ org: org.slug, messageId })).toMatchObject({ ok: false, code: "not_found" });
    signInAs(null);
    const link = (await (await portalAccessRoute(request("POST", `/api/v1/auth/app-portal-access/${org.slug}`, await platformKey(), {}))).json()) as { token: string };
    browser.cookies.set(PORTAL_COOKIE, link.token);
    expect(await expungeMessageAction({ org: org.slug, messageId })).toMatchObject({ ok: false, code: "unauthenticated" });
    browser.cookies.clear();
    expect((await db.message.findUniqueOrThrow({ where: { id: messageId } })).expungedAt).toBeNull();

    signInAs(admin.id);
    const done = await expungeMessageAction({ org: org.slug, messageId, responses: true });
    if (!done.ok) throw new Error(done.error);
    expect(done.data).toMatchObject({ stopped: 0, responses: 1 });
    const expungedAt = new Date(done.data.expungedAt);

    // Gone from the database: no row of any table holds the payload, the body or the header.
    for (const secret of Object.values(secrets)) expect(await rowsContaining(secret), secret).toEqual([]);
    const stored = await db.message.findUniqueOrThrow({ where: { id: messageId } });
    expect(stored).toMatchObject({ body: '{"expired":true}', expungedAt });
    const attempt = await db.attempt.findFirstOrThrow({ where: { messageId } });
    expect(attempt).toMatchObject({ responseBody: "EXPUNGED", responseHeaders: null, responseBodyTruncated: false, responseExpungedAt: expungedAt, statusCode: 200, succeeded: true });

    // The detail and the exports say it, with when.
    const detail = (await getMessageDetail(org.id, messageId))!;
    expect(detail).toMatchObject({ expungedAt, payloadDisplay: "", storedResponses: 0 });
    expect(detail.deliveries[0]!.attempts[0]).toMatchObject({ responseExpungedAt: expungedAt, responseHeaders: {} });
    const selection = { ...messageLogFiltersSchema.parse({}) } as MessageSelection;
    const messages = JSON.parse((await readAll(exportMessages(org.id, selection, { format: "ndjson", includeBody: true }))).trim()) as Record<string, string>;
    expect(messages).toMatchObject({ id: messageId, payload: `expunged ${expungedAt.toISOString()}`, summary: `Delivered to 1 endpoint; content expunged ${expungedAt.toISOString()}` });
    const csv = await readAll(exportMessages(org.id, selection, { format: "csv", includeBody: false }));
    expect(csv).toContain(`content expunged ${expungedAt.toISOString()}`);
    const attempts = JSON.parse((await readAll(exportAttempts(org.id, endpointId, {}, { format: "ndjson", includeBody: true }))).trim()) as Record<string, string>;
    expect(attempts).toMatchObject({ responseBody: `expunged ${expungedAt.toISOString()}`, diagnosis: expect.stringContaining(`response expunged ${expungedAt.toISOString()}`) });

    // The API answers what Svix answers for it: the payload `{"expired":true}`, the response `EXPUNGED`.
    expect(await json(await getMessageRoute(request("GET", `/api/v1/app/${org.slug}/msg/${messageId}`, key)))).toMatchObject({ status: 200, body: { id: messageId, payload: { expired: true } } });
    const listed = await json(await listMessagesRoute(request("GET", `/api/v1/app/${org.slug}/msg`, key)));
    expect(listed.body.data).toEqual([expect.objectContaining({ id: messageId, payload: { expired: true } })]);
    expect(await json(await getAttemptRoute(request("GET", `/api/v1/app/${org.slug}/msg/${messageId}/attempt/${attempt.id}`, key)))).toMatchObject({ body: { response: "EXPUNGED", responseStatusCode: 200 } });
    // The create call's kept answer, replayed with its idempotency key, no longer carries the payload.
    const event = contractCreated(1);
    const replayed = await json(await createMessageRoute(request("POST", `/api/v1/app/${org.slug}/msg`, key, { ...event, payload: { ...event.payload, customer_email: secrets.payload } }, { "idempotency-key": `key-${org.slug}-1` })));
    expect(replayed).toMatchObject({ status: 202, body: { id: messageId, payload: { expired: true } } });

    // Payload search finds it no more.
    expect((await listMessages(org.id, search)).items).toEqual([]);
    expect((await listMessages(org.id, messageLogFiltersSchema.parse({ contains: '{"expired":true}' }))).items).toEqual([]);

    // Resends are refused with a clear error, in the dashboard and the API.
    expect(await resendMessageAction({ org: org.slug, endpointId, messageId, confirmDelivered: true })).toMatchObject({ ok: false, code: "missing_payload", error: expect.stringContaining("was expunged") });
    expect(await problemOf(await resendRoute(request("POST", `/api/v1/app/${org.slug}/msg/${messageId}/endpoint/${endpointId}/resend`, key)))).toMatchObject({
      status: 400,
      body: { code: "missing_payload", detail: expect.stringContaining("cannot be resent") },
    });
    expect(r.total).toBe(1);

    // Audited once, as the admin; a second expunge changes nothing and records nothing.
    const audits = await db.auditLog.findMany({ where: { organizationId: org.id, action: "message.content_expunged" } });
    expect(audits).toEqual([expect.objectContaining({ actorEmail: admin.email, changes: { messageId, payload: true, responses: 1, stoppedDeliveries: 0 } })]);
    expect(await expungeMessageAction({ org: org.slug, messageId, responses: true })).toMatchObject({ ok: true, data: { expungedAt: expungedAt.toISOString(), responses: 0 } });
    expect(await db.auditLog.count({ where: { organizationId: org.id, action: "message.content_expunged" } })).toBe(1);
    expect((await db.message.findUniqueOrThrow({ where: { id: messageId } })).expungedAt).toEqual(expungedAt);
  });
});

describe("expunge through the API", () => {
  it("DELETE .../content removes the payload only (204, repeatable); DELETE .../attempt/{id}/content the answer; other organizations' keys are refused", async () => {
    const secrets = secretsOf("john");
    const r = await receiver(answering(secrets));
    const { org, endpointId, key } = await organization(`${r.url}/hook`);
    const messageId = await sendMessage(org.slug, key, secrets);
    await waitFor("the attempt", async () => (await db.attempt.findFirst({ where: { messageId } })) ?? undefined, BOUND_MS);
    const attempt = await db.attempt.findFirstOrThrow({ where: { messageId } });
    const contentPath = `/api/v1/app/${org.slug}/msg/${messageId}/content`;
    const attemptPath = `/api/v1/app/${org.slug}/msg/${messageId}/attempt/${attempt.id}/content`;

    // Another organization's key: 403 whether the message exists or not, and nothing changes.
    const otherKey = await organizationKey((await createOrg()).id);
    expect(await problemOf(await expungeMessageRoute(request("DELETE", contentPath, otherKey)))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await problemOf(await expungeAttemptRoute(request("DELETE", attemptPath, otherKey)))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect((await db.message.findUniqueOrThrow({ where: { id: messageId } })).expungedAt).toBeNull();

    // Bad and unknown ids: Svix's { code, detail }.
    for (const path of [`/api/v1/app/${org.slug}/msg/msg_0000000000000000000000/content`, `/api/v1/app/${org.slug}/msg/not-an-event-id/content`]) {
      expect(await problemOf(await expungeMessageRoute(request("DELETE", path, key)))).toMatchObject({ status: 404, body: { code: "not_found", detail: expect.any(String) } });
    }
    for (const bad of ["atmpt_nothex!", "evt_1", "atmpt_00000000000000000000000000000000"]) {
      const path = `/api/v1/app/${org.slug}/msg/${messageId}/attempt/${encodeURIComponent(bad)}/content`;
      expect(await problemOf(await expungeAttemptRoute(request("DELETE", path, key)))).toMatchObject({ status: 404, body: { code: "not_found", detail: expect.any(String) } });
    }

    // The attempt's answer: body, headers and all, while the payload stays.
    expect((await expungeAttemptRoute(request("DELETE", attemptPath, key))).status).toBe(204);
    expect((await expungeAttemptRoute(request("DELETE", attemptPath, key))).status).toBe(204);
    expect(await rowsContaining(secrets.body)).toEqual([]);
    expect(await rowsContaining(secrets.header)).toEqual([]);
    expect(await db.message.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({ expungedAt: null, body: expect.stringContaining(secrets.payload) });
    expect(await db.auditLog.findMany({ where: { organizationId: org.id, action: "attempt.response_expunged" } })).toEqual([
      expect.objectContaining({ endpointId, actorEmail: expect.stringMatching(/^API key "org"/), changes: { messageId, attemptId: attempt.id } }),
    ]);

    // The payload, by the message's id, then again by a platform key: 204 both times.
    expect((await expungeMessageRoute(request("DELETE", contentPath, key))).status).toBe(204);
    expect((await expungeMessageRoute(request("DELETE", contentPath, await platformKey()))).status).toBe(204);
    expect(await rowsContaining(secrets.payload)).toEqual([]);
    expect(await db.auditLog.count({ where: { organizationId: org.id, action: "message.content_expunged" } })).toBe(1);
  });
});

describe("a redirect's target", () => {
  it("leaves the attempt's error text and the delivery's failure reason with the answer: it is the Location header", async () => {
    const secrets = secretsOf("jean");
    const r = await receiver({ kind: "redirect", status: 302, location: `http://127.0.0.1:9/login?email=${secrets.header}` });
    const { org, admin, key } = await organization(`${r.url}/hook`);
    const messageId = await sendMessage(org.slug, key, secrets);
    const failed = await waitFor("every attempt to be redirected", async () => (await db.delivery.findFirst({ where: { messageId, status: "FAILED" } })) ?? undefined, 2 * BOUND_MS);
    expect(failed.failureReason).toContain(secrets.header);
    signInAs(admin.id);
    expect(await expungeMessageAction({ org: org.slug, messageId, responses: true })).toMatchObject({ ok: true, data: { responses: 3 } });
    const attempts = await db.attempt.findMany({ where: { messageId } });
    expect(attempts.map((a) => [a.statusCode, a.errorKind, a.errorMessage])).toEqual(Array(3).fill([302, "redirect", "HTTP 302 redirect not followed"]));
    expect((await db.delivery.findFirstOrThrow({ where: { messageId } })).failureReason).toBe("all 3 attempts failed; last: HTTP 302 redirect not followed (redirects are never followed)");
    const detail = (await getMessageDetail(org.id, messageId))!;
    expect(detail.deliveries[0]!.attempts.map((a) => a.diagnosis.sentence)).toEqual(Array(3).fill("HTTP 302 redirect not followed (redirects are never followed)"));
  });
});

describe("deliveries of an expunged message", () => {
  it("a delivery still on its retry schedule is stopped: no further attempt, failed with the reason", async () => {
    const secrets = secretsOf("jill");
    const r = await receiver({ kind: "status", status: 503, body: secrets.body });
    const { org, admin, key } = await organization(`${r.url}/hook`);
    const messageId = await sendMessage(org.slug, key, secrets);
    await waitFor("the first attempt to fail", async () => (await db.delivery.findFirst({ where: { messageId, status: "PENDING", attemptCount: 1 } })) ?? undefined, BOUND_MS);
    signInAs(admin.id);
    expect(await expungeMessageAction({ org: org.slug, messageId, responses: false })).toMatchObject({ ok: true, data: { stopped: 1, responses: 0 } });
    expect(await db.delivery.findFirstOrThrow({ where: { messageId } })).toMatchObject({ status: "FAILED", failureReason: EXPUNGED_REASON, nextAttemptAt: null });
    // The answers stay unless asked for (Svix's message expunge leaves them too).
    expect((await db.attempt.findFirstOrThrow({ where: { messageId } })).responseBody).toBe(secrets.body);
    await quiet(messageId);
    expect(r.total).toBe(1);
  });

  it("an attempt in flight finishes, keeps no answer, and its retry never comes", async () => {
    const secrets = secretsOf("jack");
    const r = await receiver({ kind: "hold" });
    const { org, admin, key } = await organization(`${r.url}/hook`);
    const messageId = await sendMessage(org.slug, key, secrets);
    await r.waitForRequests(1, BOUND_MS);
    signInAs(admin.id);
    const done = await expungeMessageAction({ org: org.slug, messageId, responses: true });
    if (!done.ok) throw new Error(done.error);
    // The receiver answers after the expunge: with a failure and personal data in its answer.
    r.release({ kind: "status", status: 500, body: secrets.body, headers: { "set-cookie": `session=${secrets.header}` } });
    const attempt = await waitFor("the attempt to be recorded", async () => (await db.attempt.findFirst({ where: { messageId } })) ?? undefined, BOUND_MS);
    expect(attempt).toMatchObject({ statusCode: 500, responseBody: "EXPUNGED", responseHeaders: null, responseExpungedAt: new Date(done.data.expungedAt) });
    expect(await rowsContaining(secrets.body)).toEqual([]);
    expect(await rowsContaining(secrets.header)).toEqual([]);
    // Its retry was due after WAIT_MS: it stops instead of sending, with the reason.
    await waitFor("the delivery to stop", async () => (await db.delivery.findFirst({ where: { messageId, status: "FAILED" } })) ?? undefined, BOUND_MS);
    expect((await db.delivery.findFirstOrThrow({ where: { messageId } })).failureReason).toBe(EXPUNGED_REASON);
    await quiet(messageId);
    expect(r.total).toBe(1);
  });
});

describe("an answer recorded while an expunge runs", () => {
  it("waits for the expunge that holds its message, then keeps nothing of the answer", async () => {
    const secrets = secretsOf("jude");
    const { org, endpointId } = await organization("http://127.0.0.1:9/never");
    const organizationId = ids.organization.of(org.id);
    const messageId = ids.message.generate();
    const deliveryId = ids.delivery.of(`dlv_${crypto.randomUUID().replaceAll("-", "")}`);
    await db.message.create({ data: { id: messageId, organizationId, eventType: "contract.created", body: JSON.stringify({ customer_email: secrets.payload }) } });
    await db.delivery.create({ data: { id: deliveryId, organizationId, messageId, endpointId, status: "SENDING", attemptCount: 1 } });

    let locked!: () => void;
    let finish!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const mayFinish = new Promise<void>((resolve) => (finish = resolve));
    const expunging = db.$transaction(async (tx) => {
      const message = (await lockMessage(tx, organizationId, messageId))!;
      locked();
      await mayFinish;
      return expungeMessage(tx, message, { responses: true }, new Date());
    });
    await isLocked;
    // The answer of an attempt that was on the wire when the expunge began.
    const outcome = { ok: false, url: "http://127.0.0.1:9/never", startedAt: new Date().toISOString(), durationMs: 5, statusCode: 500, responseHeaders: { "set-cookie": secrets.header }, responseBody: secrets.body, responseBodyTruncated: false, errorKind: "http_status" as const, errorMessage: "HTTP 500" };
    const recording = recordScheduledAttempts([{ context: { deliveryId, messageId, endpointId: ids.endpoint.of(endpointId) }, outcome, next: { status: "PENDING", reason: null, at: new Date() } }], 1, "SCHEDULED");
    await waitFor("the answer to wait for the message's lock", async () => {
      const [row] = await db.$queryRaw<{ waiting: number }[]>`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO "Attempt"%'`;
      return row!.waiting > 0 || undefined;
    });
    finish();
    await expunging;
    await recording;
    expect(await db.attempt.findFirstOrThrow({ where: { deliveryId } })).toMatchObject({ statusCode: 500, responseBody: "EXPUNGED", responseHeaders: null });
    for (const secret of Object.values(secrets)) expect(await rowsContaining(secret), secret).toEqual([]);
  });
});

describe("recovery of expunged messages", () => {
  /** A task as its function would find it after its snapshot: running, items written, nothing sent yet. */
  async function snapshotTask(organizationId: string, selection: RecoverySelection) {
    const id = ids.task.generate();
    await db.backgroundTask.create({
      data: { id, organizationId, endpointId: selection.endpointId, kind: selection.kind, params: storeSelection(selection) as object, status: "RUNNING", createdBy: "test" },
    });
    const total = await snapshotSelection(id, organizationId, selection);
    return { id, total };
  }

  it("leaves them out of what a recovery counts and sends, says so in the preview, and skips those expunged after the snapshot with the reason", async () => {
    const secrets = secretsOf("joan");
    const r = await receiver({ kind: "status", status: 503 });
    const { org, admin, endpointId, key } = await organization(`${r.url}/hook`);
    const kept = await sendMessage(org.slug, key, secrets, 1);
    const doomed = await sendMessage(org.slug, key, secrets, 2);
    const early = await sendMessage(org.slug, key, secrets, 3);
    const failed = async () => db.delivery.count({ where: { messageId: { in: [kept, doomed, early] }, status: "FAILED" } });
    await waitFor("every delivery to fail", async () => (await failed()) === 3 || undefined, 2 * BOUND_MS);
    r.setMode({ kind: "status", status: 200 });
    r.reset();
    const since = new Date(Date.now() - 3_600_000);
    const until = new Date(Date.now() + 1_000);
    signInAs(admin.id);
    expect(await expungeMessageAction({ org: org.slug, messageId: early })).toMatchObject({ ok: true });

    // Resend failed: the expunged message is neither counted nor snapshotted.
    const preview = await previewRecoveryAction({ org: org.slug, endpointId, kind: "resend_failed", since: since.toISOString(), until: until.toISOString() });
    expect(preview).toMatchObject({ ok: true, data: { count: 2, expungedNote: expect.stringContaining("1 message of this selection had its content expunged") } });
    const resend = await snapshotTask(org.id, { kind: "RESEND_FAILED", endpointId, since, until });
    expect(resend.total).toBe(2);
    // Expunged once the task counted it: the item is skipped with the reason, the other one sent.
    expect(await expungeMessageAction({ org: org.slug, messageId: doomed })).toMatchObject({ ok: true });
    await runTaskBatch(ids.task.of(resend.id));
    const items = await db.backgroundTaskItem.findMany({ where: { taskId: resend.id }, orderBy: { seq: "asc" } });
    expect(items.map((i) => [i.messageId, i.state, i.detail])).toEqual([
      [kept, "SUCCEEDED", null],
      [doomed, "SKIPPED", EXPUNGED_SKIP],
    ]);
    expect(r.requests.map((q) => q.headers["webhook-id"])).toEqual([kept]);

    // Replay missing to a new endpoint: the same, for a replay's items.
    const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `${r.url}/new`, eventTypes: ["contract.created"], rateLimit: "" }), { id: admin.id, email: admin.email });
    if (!created.ok) throw new Error(created.message);
    const replay = await snapshotTask(org.id, { kind: "REPLAY_MISSING", endpointId: created.id, eventTypes: ["contract.created"], since, until });
    expect(replay.total).toBe(1);
    expect(await expungeMessageAction({ org: org.slug, messageId: kept })).toMatchObject({ ok: true });
    await runTaskBatch(ids.task.of(replay.id));
    expect(await db.backgroundTaskItem.findMany({ where: { taskId: replay.id }, select: { state: true, detail: true } })).toEqual([{ state: "SKIPPED", detail: EXPUNGED_SKIP }]);
    expect(await db.delivery.count({ where: { endpointId: created.id } })).toBe(0);
  });
});
