import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createEventTypeAction } from "@/actions/catalog";
import { createEndpointAction } from "@/actions/endpoints";
import { sendEventAction } from "@/actions/send-event";
import { db } from "@/lib/db";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg, createUser } from "@/tests/helpers/factories";
import { endpointInput, ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

setTestEncryptionKey();

beforeAll(() => ensureCatalog());

/**
 * The dashboard's forms meet the same text PostgreSQL cannot store as the API (issue 24): a NUL
 * typed or pasted into a field, or `\u0000` in JSON text, is a field error beside that field, not
 * the generic "something went wrong" of a failed statement, and nothing is stored.
 */
describe("dashboard writes with a NUL or a lone surrogate", () => {
  it("Send event: the payload's NUL is named in the payload field, and no message is recorded", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    signInAs((await createUser({ isStaff: true })).id);
    const result = await sendEventAction({ org: org.slug, eventType: "contract.created", payloadJson: '{"contractId":"c_1","note":"a\\u0000b"}', eventId: "" });
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { payloadJson: [expect.stringMatching(/^The payload: note contains a NUL character/)] } });
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("Create endpoint: a NUL in the description and a lone surrogate in a header value are field errors, and no endpoint is created", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "ADMIN")).id);
    const result = await createEndpointAction(endpointInput(org.slug, { description: "billing\u0000", headers: [{ name: "X-Team", value: "ops\ud800" }] }));
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { description: [expect.stringMatching(/^Description contains a NUL character/)], "headers.0.value": [expect.stringMatching(/^Header value contains a lone UTF-16 surrogate/)] },
    });
    expect(await db.endpoint.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("Create event type: a NUL in the description or an example's payload is a field error, and nothing is added to the catalog", async () => {
    signInAs((await createUser({ isStaff: true })).id);
    const name = `fuzzform${randomUUID().replace(/-/g, "").slice(0, 8)}.created`;
    const result = await createEventTypeAction({
      name,
      description: "Created\u0000",
      deprecated: false,
      schema: JSON.stringify({ type: "object" }),
      examples: [{ name: "One", payload: '{"k":"\\u0000"}' }],
    });
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { description: [expect.stringMatching(/^Description contains a NUL/)], "examples.0.payload": [expect.stringMatching(/^Example payload: k contains a NUL/)] },
    });
    expect(await db.eventType.count({ where: { name } })).toBe(0);
  });
});
