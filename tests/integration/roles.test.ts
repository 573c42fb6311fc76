import { beforeAll, describe, expect, it, vi } from "vitest";
import { sendEventAction } from "@/actions/send-event";
import { createApiKeyAction, revokeApiKeyAction } from "@/actions/api-keys";
import {
  createEndpointAction,
  revealEndpointSecretAction,
  rotateEndpointSecretAction,
  updateEndpointAction,
} from "@/actions/endpoints";
import { createReceiverAction } from "@/actions/test-receiver";
import { db } from "@/lib/db";
import { getEndpoint } from "@/lib/endpoints/endpoints";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg } from "@/tests/helpers/factories";
import { endpointInput, ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

/**
 * Who may do what, through the server actions the dashboard calls (not only the domain
 * functions below them): roles inside an organization, and nothing across organizations.
 */

setTestEncryptionKey();

beforeAll(async () => {
  await ensureCatalog();
});

/** An organization with webhooks on, an endpoint and an organization API key, made by its admin. */
async function organization() {
  const org = await createOrg({ webhooksEnabled: true });
  const admin = await createMember(org.id, "ADMIN");
  signInAs(admin.id);
  const endpoint = await createEndpointAction(endpointInput(org.slug));
  const key = await createApiKeyAction({ org: org.slug, name: "billing", scope: "ORGANIZATION" });
  if (!endpoint.ok || !key.ok) throw new Error("setup failed");
  return { org, admin, endpointId: endpoint.data.id, keyId: key.data.summary.id };
}

const activeKey = (id: string) => db.apiKey.findUniqueOrThrow({ where: { id } }).then((k) => k.revokedAt === null);

describe("a viewer", () => {
  it("cannot revoke an API key", async () => {
    const { org, keyId } = await organization();
    signInAs((await createMember(org.id, "VIEWER")).id);
    await expect(revokeApiKeyAction({ org: org.slug, id: keyId })).resolves.toMatchObject({ ok: false, code: "forbidden", error: expect.stringMatching(/Admin role/) });
    expect(await activeKey(keyId)).toBe(true);
  });

  it("cannot create a test receiver", async () => {
    const { org } = await organization();
    signInAs((await createMember(org.id, "VIEWER")).id);
    await expect(createReceiverAction({ org: org.slug, name: "mine" })).resolves.toMatchObject({ ok: false, code: "forbidden" });
    expect(await db.testReceiver.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("cannot send an event, nor can an owner who is not platform staff; staff can", async () => {
    const { org } = await organization();
    const form = { org: org.slug, eventType: "contract.created", payloadJson: JSON.stringify(contractCreated().payload) };
    for (const role of ["VIEWER", "OWNER"] as const) {
      signInAs((await createMember(org.id, role)).id);
      await expect(sendEventAction(form)).resolves.toMatchObject({ ok: false, code: "forbidden", error: expect.stringMatching(/platform staff/) });
    }
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
    signInAs((await createMember(org.id, "VIEWER", { isStaff: true })).id);
    await expect(sendEventAction(form)).resolves.toMatchObject({ ok: true, data: { created: true, deliveries: 1 } });
  });
});

describe("another organization's admin", () => {
  it("cannot update, rotate the secret of, or reveal the secret of an endpoint, nor revoke a key", async () => {
    const victim = await organization();
    const attacker = await organization();
    signInAs(attacker.admin.id);
    const theirs = { org: attacker.org.slug, endpointId: victim.endpointId };
    const refused = [
      await updateEndpointAction({ ...endpointInput(attacker.org.slug, { url: "https://evil.example.test/in" }), endpointId: victim.endpointId, confirmUrlChange: true }),
      await rotateEndpointSecretAction(theirs),
      await revealEndpointSecretAction(theirs),
      await revokeApiKeyAction({ org: attacker.org.slug, id: victim.keyId }),
    ];
    for (const result of refused) expect(result).toMatchObject({ ok: false, code: "not_found" });
    // Naming the victim's organization does not help: the attacker is not a member there.
    const named = { org: victim.org.slug, endpointId: victim.endpointId };
    for (const result of [await revealEndpointSecretAction(named), await rotateEndpointSecretAction(named), await revokeApiKeyAction({ org: victim.org.slug, id: victim.keyId })]) {
      expect(result).toMatchObject({ ok: false, code: "not_found" });
    }

    expect(await getEndpoint(victim.org.id, victim.endpointId)).toMatchObject({ url: "https://hooks.example.test/in" });
    expect(await db.endpointSecret.count({ where: { endpointId: victim.endpointId } })).toBe(1);
    expect(await activeKey(victim.keyId)).toBe(true);
    const audited = await db.auditLog.findMany({ where: { endpointId: victim.endpointId }, select: { action: true } });
    expect(audited.map((a) => a.action)).toEqual(["endpoint.created"]);
  });
});
