import { describe, expect, it, vi } from "vitest";
import { createApiKeyAction, revokeApiKeyAction } from "@/actions/api-keys";
import { authenticateApiKey, mayActOn } from "@/lib/api/authenticate";
import { hashApiKey } from "@/lib/api-keys/key";
import { db } from "@/lib/db";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg } from "@/tests/helpers/factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

describe("API keys", () => {
  it("an admin creates an organization key that is shown once and stored only as a hash", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "ADMIN")).id);
    const result = await createApiKeyAction({ org: org.slug, name: "billing-service", scope: "ORGANIZATION" });
    if (!result.ok) throw new Error(result.error);
    expect(result.data.key).toMatch(/^hr_org_[A-Za-z0-9_-]{43}$/);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: result.data.summary.id } });
    expect(row.hash).toBe(hashApiKey(result.data.key));
    expect(JSON.stringify(row)).not.toContain(result.data.key);
    expect(result.data.key.startsWith(row.prefix)).toBe(true);
    expect(row.organizationId).toBe(org.id);
  });

  it("refuses viewers, and platform keys for non-staff", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "VIEWER")).id);
    await expect(createApiKeyAction({ org: org.slug, name: "x", scope: "ORGANIZATION" })).resolves.toMatchObject({ ok: false, code: "forbidden" });
    signInAs((await createMember(org.id, "OWNER")).id);
    await expect(createApiKeyAction({ org: org.slug, name: "x", scope: "PLATFORM" })).resolves.toMatchObject({ ok: false, code: "forbidden" });
    await expect(createApiKeyAction({ org: org.slug, name: "  ", scope: "ORGANIZATION" })).resolves.toMatchObject({
      ok: false,
      fieldErrors: { name: [expect.stringMatching(/Give the key a name/)] },
    });
  });

  it("staff create platform keys that may act on any organization", async () => {
    const org = await createOrg();
    const other = await createOrg();
    signInAs((await createMember(org.id, "OWNER", { isStaff: true })).id);
    const result = await createApiKeyAction({ org: org.slug, name: "internal-tools", scope: "PLATFORM" });
    if (!result.ok) throw new Error(result.error);
    expect(result.data.key).toMatch(/^hr_plat_/);
    const auth = await authenticateApiKey(`Bearer ${result.data.key}`);
    if (!auth.ok) throw new Error(auth.message);
    expect(mayActOn(auth.principal, other.id)).toBe(true);
  });

  it("authenticates a valid key, records its use, and limits it to its organization", async () => {
    const org = await createOrg();
    const other = await createOrg();
    signInAs((await createMember(org.id, "OWNER")).id);
    const created = await createApiKeyAction({ org: org.slug, name: "svc", scope: "ORGANIZATION" });
    if (!created.ok) throw new Error(created.error);
    const auth = await authenticateApiKey(`Bearer ${created.data.key}`);
    if (!auth.ok) throw new Error(auth.message);
    expect(mayActOn(auth.principal, org.id)).toBe(true);
    expect(mayActOn(auth.principal, other.id)).toBe(false);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: created.data.summary.id } })).lastUsedAt).not.toBeNull();
  });

  it("refuses missing, malformed, unknown and revoked keys with specific messages", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "OWNER")).id);
    const created = await createApiKeyAction({ org: org.slug, name: "svc", scope: "ORGANIZATION" });
    if (!created.ok) throw new Error(created.error);
    await expect(authenticateApiKey(null)).resolves.toMatchObject({ ok: false, message: expect.stringMatching(/Authorization: Bearer/) });
    await expect(authenticateApiKey("Bearer nope")).resolves.toMatchObject({ ok: false, message: "The API key is malformed." });
    await expect(authenticateApiKey(`Bearer hr_org_${"A".repeat(43)}`)).resolves.toMatchObject({ ok: false, message: "The API key is not valid." });
    await expect(revokeApiKeyAction({ org: org.slug, id: created.data.summary.id })).resolves.toMatchObject({ ok: true });
    await expect(authenticateApiKey(`Bearer ${created.data.key}`)).resolves.toMatchObject({ ok: false, message: "The API key was revoked." });
    await expect(revokeApiKeyAction({ org: org.slug, id: created.data.summary.id })).resolves.toMatchObject({ ok: false, code: "not_found" });
  });

  it("cannot revoke another organization's key", async () => {
    const org = await createOrg();
    const other = await createOrg();
    signInAs((await createMember(other.id, "OWNER")).id);
    const theirs = await createApiKeyAction({ org: other.slug, name: "theirs", scope: "ORGANIZATION" });
    if (!theirs.ok) throw new Error(theirs.error);
    signInAs((await createMember(org.id, "OWNER")).id);
    await expect(revokeApiKeyAction({ org: org.slug, id: theirs.data.summary.id })).resolves.toMatchObject({ ok: false, code: "not_found" });
  });
});
