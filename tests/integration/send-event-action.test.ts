import { beforeAll, describe, expect, it, vi } from "vitest";
import { sendEventAction } from "@/actions/send-event";
import { db } from "@/lib/db";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg, createUser } from "@/tests/helpers/factories";
import { ensureCatalog } from "@/tests/helpers/webhooks-factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));

beforeAll(() => ensureCatalog());

const form = (org: string, overrides: Record<string, unknown> = {}) => ({
  org,
  eventType: "contract.created",
  payloadJson: JSON.stringify(contractCreated().payload),
  eventId: "",
  ...overrides,
});

describe("Send event (platform)", () => {
  it("lets staff record an event for any organization, member or not", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    signInAs((await createUser({ isStaff: true })).id);
    const result = await sendEventAction(form(org.slug));
    if (!result.ok) throw new Error(result.error);
    expect(result.data).toMatchObject({ created: true, deliveries: 0, message: { eventType: "contract.created", eventId: null } });
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(1);
  });

  it("refuses everyone but staff, owners included", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    signInAs((await createMember(org.id, "OWNER")).id);
    await expect(sendEventAction(form(org.slug))).resolves.toMatchObject({ ok: false, code: "forbidden" });
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("puts each problem beside its field: the organization, the JSON text, the payload's schema, the event id", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    signInAs((await createUser({ isStaff: true })).id);
    await expect(sendEventAction(form("no-such-org"))).resolves.toMatchObject({ ok: false, code: "not_found", fieldErrors: { org: [expect.stringMatching(/no organization "no-such-org"/)] } });
    await expect(sendEventAction(form(org.slug, { payloadJson: "{ nope" }))).resolves.toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { payloadJson: [expect.stringMatching(/^The payload is not valid JSON/)] },
    });
    await expect(sendEventAction(form(org.slug, { payloadJson: "[1]" }))).resolves.toMatchObject({ fieldErrors: { payloadJson: ["The payload must be a JSON object ({ ... })"] } });
    await expect(sendEventAction(form(org.slug, { payloadJson: '{"marketplace": "ebay"}' }))).resolves.toMatchObject({
      ok: false,
      code: "invalid_payload",
      fieldErrors: { payloadJson: expect.arrayContaining([expect.stringMatching(/^\/marketplace must be one of/)]) },
    });
    await expect(sendEventAction(form(org.slug, { eventId: "has spaces" }))).resolves.toMatchObject({ fieldErrors: { eventId: [expect.stringMatching(/printable ASCII/)] } });
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("an event id sent again returns the original message", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    signInAs((await createUser({ isStaff: true })).id);
    const first = await sendEventAction(form(org.slug, { eventId: "evt-1" }));
    const again = await sendEventAction(form(org.slug, { eventId: " evt-1 " }));
    if (!first.ok || !again.ok) throw new Error("not sent");
    expect(again.data).toMatchObject({ created: false, message: { id: first.data.message.id } });
  });
});
