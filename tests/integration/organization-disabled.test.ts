import { beforeEach, describe, expect, it, vi } from "vitest";
import { resendMessageAction, startBulkResendAction, startRecoveryAction } from "@/actions/recovery";
import * as portalAccessRoute from "@/app/api/v1/auth/app-portal-access/[app_id]/route";
import * as endpointsRoute from "@/app/api/v1/app/[app_id]/endpoint/route";
import { POST as openPortalSession } from "@/app/portal/[organization]/session/route";
import { db } from "@/lib/db";
import { organizationCache } from "@/lib/organizations/cache";
import { ORGANIZATION_DISABLED, organizationDisabledMessage } from "@/lib/organizations/disabled";
import { setOrganizationDisabled } from "@/lib/organizations/organizations";
import { portalFrameAncestors } from "@/lib/portal/frame";
import { portalSessionPath } from "@/lib/routes";
import { signInAs } from "@/tests/helpers/auth-mock";
import { callRoute, organizationKey, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { createMember, createOrg } from "@/tests/helpers/factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": "http" }),
  cookies: async () => ({ get: () => undefined, has: () => false }),
}));

const STAFF = { id: null, email: "staff@hookrelay.test" };

beforeEach(() => signInAs(null));

const setDisabled = async (id: string, disabled: boolean) => expect(await setOrganizationDisabled(id, disabled, STAFF)).toMatchObject({ ok: true });
const portalLink = (app: string, key: string) => callRoute(portalAccessRoute, "POST", `/api/v1/auth/app-portal-access/${app}`, key, {});

function enterPortal(organization: string, token: string) {
  return openPortalSession(
    new Request(`http://127.0.0.1:3000${portalSessionPath(organization)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    }),
    { params: Promise.resolve({ organization }) },
  );
}

/**
 * One rule (lib/organizations/disabled.ts), four audiences, each told in its own words; enabling
 * the organization again lets each of them through. Deliveries waiting meanwhile:
 * organizations-admin.test.ts.
 */
describe("a disabled organization", () => {
  it("refuses its organization API keys (403 organization_disabled) and a platform key's request for a portal link (403 forbidden)", async () => {
    const org = await createOrg();
    const orgKey = await organizationKey(org.id);
    const platform = await platformKey();
    await setDisabled(org.id, true);

    const refused = await problemOf(await callRoute(endpointsRoute, "GET", `/api/v1/app/${org.slug}/endpoint`, orgKey));
    expect(refused).toMatchObject({ status: 403, body: { code: ORGANIZATION_DISABLED, detail: organizationDisabledMessage.apiKey } });
    const noLink = await problemOf(await portalLink(org.slug, platform));
    expect(noLink).toMatchObject({ status: 403, body: { code: "forbidden", detail: organizationDisabledMessage.portalLinkRequest } });

    await setDisabled(org.id, false);
    expect((await callRoute(endpointsRoute, "GET", `/api/v1/app/${org.slug}/endpoint`, orgKey)).status).toBe(200);
    expect((await portalLink(org.slug, platform)).status).toBe(200);
  });

  it("does not open a link made before it was disabled (403 organization_disabled), nor let any origin frame its portal", async () => {
    const org = await createOrg();
    await db.organization.update({ where: { id: org.id }, data: { portalOrigins: ["https://app.example.com"] } });
    organizationCache.invalidate();
    const { token } = (await (await portalLink(org.slug, await platformKey())).json()) as { token: string };
    await setDisabled(org.id, true);

    const entry = await enterPortal(org.id, token);
    expect(entry.status).toBe(403);
    expect(await entry.json()).toEqual({ code: ORGANIZATION_DISABLED, message: organizationDisabledMessage.portalVisitor });
    expect(await portalFrameAncestors(org.slug)).toEqual([]);

    await setDisabled(org.id, false);
    expect((await enterPortal(org.id, token)).status).toBe(200);
    expect(await portalFrameAncestors(org.slug)).toEqual(["https://app.example.com"]);
  });

  it("refuses a member's recovery, resend and bulk resend from the dashboard before reading anything else", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "ADMIN")).id);
    const endpointId = "ep_unknown00000";
    const recover = () => startRecoveryAction({ org: org.slug, endpointId, kind: "resend_failed", since: new Date(Date.now() - 3_600_000).toISOString() });
    const resend = () => resendMessageAction({ org: org.slug, endpointId, messageId: "msg_unknown00000" });
    await setDisabled(org.id, true);

    const refusal = { ok: false, code: ORGANIZATION_DISABLED, error: organizationDisabledMessage.dashboard };
    expect(await recover()).toEqual(refusal);
    expect(await resend()).toEqual(refusal);
    expect(await startBulkResendAction({ org: org.slug, filters: {} })).toEqual(refusal);

    await setDisabled(org.id, false);
    expect(await recover()).toMatchObject({ ok: false, code: "not_found" });
    expect(await resend()).toMatchObject({ ok: false, code: "not_found" });
  });
});
