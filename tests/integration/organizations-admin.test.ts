import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createOrganizationAction,
  inviteOwnerAction,
  renameOrganizationAction,
  setOrganizationDisabledAction,
} from "@/actions/organizations";
import * as endpointsRoute from "@/app/api/v1/app/[app_id]/endpoint/route";
import * as msgRoute from "@/app/api/v1/app/[app_id]/msg/route";
import * as appsRoute from "@/app/api/v1/app/route";
import { resendMessageAction } from "@/actions/recovery";
import { db } from "@/lib/db";
import { decodeCursor } from "@/lib/db/keyset";
import { hashInviteToken } from "@/lib/members/invites";
import { listOrganizationsForStaff, MESSAGE_COUNT_CAP } from "@/lib/organizations/organizations";
import { sendEvent } from "@/lib/messages/send-event";
import { callRoute, organizationKey, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { signInAs } from "@/tests/helpers/auth-mock";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { createMember, createOrg, createUser, uniqueSlug } from "@/tests/helpers/factories";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { waitForRunsToEnd } from "@/tests/helpers/run-barrier";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

/** The shortest recheck the setting allows (durable sleeps have one-second resolution). */
const RECHECK_MS = 1_000;
const ATTEMPT_TIMEOUT_MS = 3_000;
/** A paused delivery notices an enable within one recheck, a poll, and then sends. */
const RESUME_BOUND_MS = 4 * (RECHECK_MS + PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS);
/** How many rechecks a paused delivery must have made before the test calls it waiting. */
const RECHECKS = 3;
/** Rechecks per retry run in these tests (production: 100). */
const WAITS_PER_RUN = 2;

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({
    WEBHOOK_RETRY_SCHEDULE: "1s,1s",
    WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
    WEBHOOK_ORGANIZATION_PAUSE_RECHECK_MS: String(RECHECK_MS),
    // Fewer than RECHECKS: the paused wait below continues in a new run at least once.
    WEBHOOK_ORGANIZATION_PAUSE_WAITS_PER_RUN: String(WAITS_PER_RUN),
  });
}, 60_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

async function signedInStaff() {
  const staff = await createUser({ isStaff: true });
  signInAs(staff.id);
  return staff;
}

describe("staff create organizations", () => {
  it("creates one with an owner invite: the invite link's token is stored hashed, OWNER, for the lower-cased e-mail; both audited", async () => {
    const staff = await signedInStaff();
    const slug = uniqueSlug("cust");
    const result = await createOrganizationAction({ name: "Globex Corp", slug, ownerEmail: "  Hank@Globex.TEST " });
    expect(result).toMatchObject({ ok: true, data: { slug, name: "Globex Corp", invite: { email: "hank@globex.test", path: expect.stringMatching(/^\/invite\/inv_/) } } });
    if (!result.ok || !result.data.invite) throw new Error("expected an invite");
    const org = await db.organization.findUniqueOrThrow({ where: { slug } });
    expect(org).toMatchObject({ name: "Globex Corp", disabledAt: null });
    const token = decodeURIComponent(result.data.invite.path.slice("/invite/".length));
    const invite = await db.invite.findUniqueOrThrow({ where: { tokenHash: hashInviteToken(token) } });
    expect(invite).toMatchObject({ organizationId: org.id, email: "hank@globex.test", role: "OWNER", createdById: staff.id, acceptedAt: null });
    const actions = (await db.auditLog.findMany({ where: { organizationId: org.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["organization.created", "member.invited"]);
  });

  it("creates one without an owner e-mail and no invite", async () => {
    await signedInStaff();
    const slug = uniqueSlug("cust");
    await expect(createOrganizationAction({ name: "Initech", slug, ownerEmail: "" })).resolves.toEqual({ ok: true, data: { slug, name: "Initech", invite: null } });
    expect(await db.invite.count({ where: { organization: { slug } } })).toBe(0);
  });

  it("refuses a taken slug with a field error and changes nothing", async () => {
    await signedInStaff();
    const existing = await createOrg();
    const result = await createOrganizationAction({ name: "Copycat", slug: existing.slug, ownerEmail: "owner@copycat.test" });
    expect(result).toMatchObject({ ok: false, code: "slug_taken", fieldErrors: { slug: [expect.stringContaining(`"${existing.slug}"`)] } });
    // Counted by name, not in total: other test files create organizations in the same database meanwhile.
    expect(await db.organization.count({ where: { name: "Copycat" } })).toBe(0);
    expect(await db.organization.findUniqueOrThrow({ where: { id: existing.id } })).toMatchObject({ slug: existing.slug, name: existing.name });
    expect(await db.invite.count({ where: { email: "owner@copycat.test" } })).toBe(0);
  });

  it("refuses an invalid or reserved slug and a malformed owner e-mail before touching anything", async () => {
    await signedInStaff();
    const name = `Refused ${uniqueSlug()}`;
    const slug = uniqueSlug();
    expect(await createOrganizationAction({ name, slug: "Has Spaces", ownerEmail: "" })).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { slug: [expect.stringContaining("lowercase")] } });
    expect(await createOrganizationAction({ name, slug: "platform", ownerEmail: "" })).toMatchObject({ ok: false, fieldErrors: { slug: [expect.stringContaining("reserved")] } });
    expect(await createOrganizationAction({ name, slug, ownerEmail: "not-an-address" })).toMatchObject({ ok: false, fieldErrors: { ownerEmail: [expect.any(String)] } });
    // Counted by name and slug, not in total: other test files create organizations in the same database meanwhile.
    expect(await db.organization.count({ where: { OR: [{ name }, { slug: { in: [slug, "platform", "Has Spaces"] } }] } })).toBe(0);
  });

  it("refuses everyone but staff, even an owner of another organization", async () => {
    const org = await createOrg();
    const owner = await createMember(org.id, "OWNER");
    signInAs(owner.id);
    const slug = uniqueSlug("nope");
    expect(await createOrganizationAction({ name: "Nope", slug })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await renameOrganizationAction({ id: org.id, name: "Renamed", slug: org.slug })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await setOrganizationDisabledAction({ id: org.id, disabled: true })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await inviteOwnerAction({ id: org.id, email: "x@y.test" })).toMatchObject({ ok: false, code: "forbidden" });
    signInAs(null);
    expect(await createOrganizationAction({ name: "Nope", slug })).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await db.organization.findUnique({ where: { slug } })).toBeNull();
    expect(await db.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ name: org.name, disabledAt: null });
  });
});

describe("staff rename organizations and invite owners", () => {
  it("renames name and slug, audited; a taken slug is refused and nothing changes", async () => {
    await signedInStaff();
    const org = await createOrg({ name: "Old Name" });
    const other = await createOrg();
    const slug = uniqueSlug("renamed");
    await expect(renameOrganizationAction({ id: org.id, name: "New Name", slug })).resolves.toEqual({ ok: true, data: { name: "New Name", slug } });
    expect(await db.auditLog.findFirst({ where: { organizationId: org.id, action: "organization.updated" } })).toMatchObject({
      changes: { name: { before: "Old Name", after: "New Name" }, slug: { before: org.slug, after: slug } },
    });
    const refused = await renameOrganizationAction({ id: org.id, name: "Third Name", slug: other.slug });
    expect(refused).toMatchObject({ ok: false, code: "slug_taken", fieldErrors: { slug: [expect.any(String)] } });
    expect(await db.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ name: "New Name", slug });
  });

  it("invites an owner to an existing organization, and refuses an address that is already a member", async () => {
    await signedInStaff();
    const org = await createOrg();
    const member = await createMember(org.id, "VIEWER");
    expect(await inviteOwnerAction({ id: org.id, email: "boss@example.test" })).toMatchObject({ ok: true, data: { email: "boss@example.test", path: expect.stringMatching(/^\/invite\//) } });
    const refused = await inviteOwnerAction({ id: org.id, email: member.email });
    expect(refused).toMatchObject({ ok: false, code: "already_member", fieldErrors: { email: [expect.stringContaining("already a member")] } });
    expect(await db.invite.count({ where: { organizationId: org.id, email: member.email } })).toBe(0);
  });
});

describe("the staff list", () => {
  it("pages every organization newest first with endpoint and message counts", async () => {
    const { org } = await orgWithEndpoint("http://127.0.0.1:9/hook");
    await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(1));
    await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(2));
    // Other test files create and delete organizations in the same database during the walk: it must
    // see each organization that existed before it began and still exists after, and none twice.
    const before = (await db.organization.findMany({ select: { id: true } })).map((o) => o.id);
    const seen: string[] = [];
    const times: number[] = [];
    let cursor: string | null = null;
    let row: Awaited<ReturnType<typeof listOrganizationsForStaff>>["items"][number] | undefined;
    do {
      const page: Awaited<ReturnType<typeof listOrganizationsForStaff>> = await listOrganizationsForStaff({ cursor: cursor ? decodeCursor(cursor)! : undefined, limit: 3 });
      seen.push(...page.items.map((o) => o.id));
      times.push(...page.items.map((o) => o.createdAt.getTime()));
      row ??= page.items.find((o) => o.id === org.id);
      cursor = page.nextCursor;
    } while (cursor);
    const after = new Set((await db.organization.findMany({ select: { id: true } })).map((o) => o.id));
    expect(seen).toEqual(expect.arrayContaining(before.filter((id) => after.has(id))));
    expect(new Set(seen).size).toBe(seen.length);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(row).toMatchObject({ endpoints: 1, messages: 2, messagesCapped: false, disabledAt: null });
    expect(MESSAGE_COUNT_CAP).toBeGreaterThan(2);
  });
});

describe("a disabled organization's API keys", () => {
  it("refuses its organization keys with 403 organization_disabled on every call, sending included; platform keys still manage it; enabling restores them", async () => {
    await signedInStaff();
    const org = await createOrg({ webhooksEnabled: true });
    const orgKey = await organizationKey(org.id);
    const platform = await platformKey();
    const endpoints = (key: string) => callRoute(endpointsRoute, "GET", `/api/v1/app/${org.slug}/endpoint`, key);
    const message = (key: string) => callRoute(msgRoute, "POST", `/api/v1/app/${org.slug}/msg`, key, contractCreated(7));
    expect((await endpoints(orgKey)).status).toBe(200);

    expect(await setOrganizationDisabledAction({ id: org.id, disabled: true })).toEqual({ ok: true, data: { disabled: true } });
    expect(await db.auditLog.count({ where: { organizationId: org.id, action: "organization.disabled" } })).toBe(1);
    for (const response of [await endpoints(orgKey), await message(orgKey), await callRoute(appsRoute, "GET", "/api/v1/app", orgKey)]) {
      expect(await problemOf(response)).toMatchObject({ status: 403, body: { code: "organization_disabled", detail: expect.stringContaining("disabled") } });
    }
    expect((await endpoints(platform)).status).toBe(200);
    expect((await message(platform)).status).toBe(202);

    expect(await setOrganizationDisabledAction({ id: org.id, disabled: false })).toEqual({ ok: true, data: { disabled: false } });
    expect(await db.auditLog.count({ where: { organizationId: org.id, action: "organization.enabled" } })).toBe(1);
    expect((await endpoints(orgKey)).status).toBe(200);
    expect((await message(orgKey)).status).toBe(202);
  });

  it("disabling twice keeps the first time and audits once", async () => {
    await signedInStaff();
    const org = await createOrg();
    await setOrganizationDisabledAction({ id: org.id, disabled: true });
    const first = (await db.organization.findUniqueOrThrow({ where: { id: org.id } })).disabledAt;
    await setOrganizationDisabledAction({ id: org.id, disabled: true });
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).disabledAt).toEqual(first);
    expect(await db.auditLog.count({ where: { organizationId: org.id, action: "organization.disabled" } })).toBe(1);
  });
});

describe("a disabled organization's deliveries", () => {
  it("refuse a member's manual resend, sending nothing", async () => {
    await signedInStaff();
    const receiver = await startReceiver({ mode: { kind: "status", status: 200 } });
    receivers.push(receiver);
    const { org, endpointId } = await orgWithEndpoint(`${receiver.url}/hook`);
    await setOrganizationDisabledAction({ id: org.id, disabled: true });
    const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(4));
    if (!sent.ok) throw new Error(sent.message);
    signInAs((await createMember(org.id, "ADMIN")).id);
    const result = await resendMessageAction({ org: org.slug, endpointId, messageId: sent.message.id });
    expect(result).toMatchObject({ ok: false, code: "organization_disabled", error: expect.stringContaining("resends included") });
    expect(await db.attempt.count({ where: { messageId: sent.message.id } })).toBe(0);
    expect(receiver.requests).toHaveLength(0);
  });

  /** Rechecks the paused delivery's run has made so far (each is a durable sleep named for the reason). */
  async function rechecks(messageId: string): Promise<number> {
    const { rows } = await pipeline.database.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM executor_steps s JOIN executor_runs r ON r.id = s.run_id
        WHERE r.function_id LIKE '%deliver-message' AND s.name LIKE 'organization-disabled-before-attempt-%'
          AND r.event_id IN (SELECT id FROM executor_events WHERE data->>'messageId' = $1)`,
      [messageId],
    );
    return Number(rows[0]!.n);
  }

  it("wait without an attempt while disabled (the delivery stays pending), then go out once after enable", async () => {
    await signedInStaff();
    const receiver = await startReceiver({ mode: { kind: "status", status: 200 } });
    receivers.push(receiver);
    const { org } = await orgWithEndpoint(`${receiver.url}/hook`);
    await setOrganizationDisabledAction({ id: org.id, disabled: true });

    const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(3));
    if (!sent.ok) throw new Error(sent.message);
    // Several rechecks observed, not a guessed sleep: the delivery had every chance to go out.
    await waitFor(`${RECHECKS} rechecks of the paused delivery`, async () => ((await rechecks(sent.message.id)) >= RECHECKS ? true : undefined), RESUME_BOUND_MS * RECHECKS);
    expect(receiver.requests).toHaveLength(0);
    expect(await db.delivery.findFirstOrThrow({ where: { messageId: sent.message.id } })).toMatchObject({ status: "PENDING", attemptCount: 0 });
    expect(await db.attempt.count({ where: { messageId: sent.message.id } })).toBe(0);
    // Past WAITS_PER_RUN rechecks the wait went on in a new run (Inngest caps steps per run), and no run failed.
    const runs = await waitFor("the paused wait to continue in a second run", async () => {
      const { rows } = await pipeline.database.pool.query<{ status: string }>(
        `SELECT r.status FROM executor_runs r JOIN executor_events e ON e.id = r.event_id
          WHERE r.function_id LIKE '%deliver-message' AND e.data->>'messageId' = $1`,
        [sent.message.id],
      );
      return rows.length >= 2 ? rows : undefined;
    }, RESUME_BOUND_MS * (WAITS_PER_RUN + 1));
    expect(runs.filter((r) => r.status === "FAILED")).toEqual([]);

    await setOrganizationDisabledAction({ id: org.id, disabled: false });
    const [request] = await receiver.waitForRequests(1, RESUME_BOUND_MS);
    expect(request!.headers["webhook-id"]).toBe(sent.message.id);
    const delivery = await waitFor("the delivery to succeed", async () => {
      const d = await db.delivery.findFirstOrThrow({ where: { messageId: sent.message.id } });
      return d.status === "SUCCEEDED" ? d : undefined;
    }, RESUME_BOUND_MS);
    expect(delivery.attemptCount).toBe(1);
    const attempts = await db.attempt.findMany({ where: { messageId: sent.message.id } });
    expect(attempts).toMatchObject([{ attemptNumber: 1, succeeded: true, statusCode: 200 }]);
    // Delivered once: every event naming the message dispatched and every run it started ended,
    // so nothing more can arrive.
    await waitForRunsToEnd(pipeline.database.pool, sent.message.id, RESUME_BOUND_MS);
    expect(receiver.requests).toHaveLength(1);
  }, 180_000);
});
