import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  cancelTaskAction,
  listTasksAction,
  previewRecoveryAction,
  resendMessageAction,
  startBulkResendAction,
  startRecoveryAction,
} from "@/actions/recovery";
import { createEndpointAction } from "@/actions/endpoints";
import { db } from "@/lib/db";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg } from "@/tests/helpers/factories";
import { endpointInput, ensureCatalog, eventMark, publishedSince, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

/** Recovery through the dashboard's server actions: owners and admins act, viewers only read, nobody crosses organizations. */

setTestEncryptionKey();

beforeAll(async () => {
  await ensureCatalog();
});

async function organization() {
  const org = await createOrg({ webhooksEnabled: true });
  const admin = await createMember(org.id, "ADMIN");
  const viewer = await createMember(org.id, "VIEWER");
  signInAs(admin.id);
  const endpoint = await createEndpointAction(endpointInput(org.slug));
  if (!endpoint.ok) throw new Error(endpoint.error);
  return { org, admin, viewer, endpointId: endpoint.data.id };
}

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

describe("recovery actions and roles", () => {
  it("an admin previews, starts (audited, published to the executor) and cancels; a second identical start is refused", async () => {
    const { org, endpointId } = await organization();
    const request = { org: org.slug, endpointId, kind: "resend_failed", since: hourAgo() };
    expect(await previewRecoveryAction(request)).toMatchObject({ ok: true, data: { count: 0 } });
    const mark = await eventMark();
    const started = await startRecoveryAction(request);
    if (!started.ok) throw new Error(started.error);
    expect(started.data).toMatchObject({ status: "QUEUED", kind: "RESEND_FAILED", endpointId });
    expect((await publishedSince(mark)).map((e) => e.name)).toEqual(["recovery/requested"]);
    expect(await startRecoveryAction(request)).toMatchObject({ ok: false, code: "operation_in_progress" });
    expect(await cancelTaskAction({ org: org.slug, taskId: started.data.id })).toMatchObject({ ok: true, data: { status: "CANCELLED" } });
    expect(await db.auditLog.count({ where: { organizationId: org.id, action: { in: ["recovery.resend_failed", "recovery.cancelled"] } } })).toBe(2);
  });

  it("a viewer sees the operations but may start, resend or cancel nothing", async () => {
    const { org, viewer, endpointId } = await organization();
    const started = await startRecoveryAction({ org: org.slug, endpointId, kind: "replay_missing", since: hourAgo() });
    if (!started.ok) throw new Error(started.error);
    signInAs(viewer.id);
    expect(await listTasksAction({ org: org.slug, endpointId })).toMatchObject({ ok: true, data: [{ id: started.data.id }] });
    for (const refused of [
      await previewRecoveryAction({ org: org.slug, endpointId, kind: "resend_failed", since: hourAgo() }),
      await startRecoveryAction({ org: org.slug, endpointId, kind: "resend_failed", since: hourAgo() }),
      await resendMessageAction({ org: org.slug, endpointId, messageId: "msg_0000000000000000000000" }),
      await startBulkResendAction({ org: org.slug, filters: {} }),
      await cancelTaskAction({ org: org.slug, taskId: started.data.id }),
    ]) {
      expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await db.backgroundTask.count({ where: { organizationId: org.id } })).toBe(1);
  });

  it("an admin of another organization reaches neither its endpoints nor its tasks", async () => {
    const { org, endpointId } = await organization();
    const started = await startRecoveryAction({ org: org.slug, endpointId, kind: "replay_missing", since: hourAgo() });
    if (!started.ok) throw new Error(started.error);
    const other = await organization();
    expect(await startRecoveryAction({ org: other.org.slug, endpointId, kind: "resend_failed", since: hourAgo() })).toMatchObject({ ok: false, code: "not_found" });
    expect(await cancelTaskAction({ org: other.org.slug, taskId: started.data.id })).toMatchObject({ ok: false, code: "not_found" });
    // Not a member: the organization itself is not found.
    expect(await startRecoveryAction({ org: org.slug, endpointId, kind: "resend_failed", since: hourAgo() })).toMatchObject({ ok: false, code: "not_found" });
  });
});
