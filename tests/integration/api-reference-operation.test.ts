import { describe, expect, it, vi } from "vitest";
import { GET } from "@/app/(dashboard)/[org]/settings/api-reference/operations/[anchor]/route";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg, createUser } from "@/tests/helpers/factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));

const get = (org: string, anchor: string) => GET(new Request(`http://localhost/${org}/settings/api-reference/operations/${anchor}`), { params: Promise.resolve({ org, anchor }) });

describe("API reference: one operation's tables, fetched when it is opened", () => {
  it("gives any member the operation's parameters, body, answer and errors", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "VIEWER")).id);
    const response = await get(org.slug, "v1.message.create");
    expect(response.status).toBe(200);
    const details = (await response.json()) as { parameters: { location: string }[]; body: { name: string }; success: { status: string }; errors: { status: string }[] };
    expect(details.parameters.map((g) => g.location)).toEqual(["path", "header"]);
    expect(details.body.name).toBe("MessageIn");
    expect(details.success.status).toBe("202");
    expect(details.errors.map((e) => e.status)).toContain("429");
  });

  it("answers 404 for an unknown or malformed anchor", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "VIEWER")).id);
    expect((await get(org.slug, "v1.no-such.operation")).status).toBe(404);
    expect((await get(org.slug, "../../etc")).status).toBe(404);
  });

  it("refuses the signed out and non-members", async () => {
    const org = await createOrg();
    signInAs(null);
    expect((await get(org.slug, "v1.message.create")).status).toBe(401);
    signInAs((await createUser()).id);
    expect((await get(org.slug, "v1.message.create")).status).toBe(404);
  });
});
