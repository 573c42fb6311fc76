import { describe, expect, it, vi } from "vitest";
import { setWebhooksEnabledAction } from "@/actions/webhooks";
import { db } from "@/lib/db";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg } from "@/tests/helpers/factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

describe("enable and disable webhooks", () => {
  it("lets an owner or admin turn webhooks on and off, persisted", async () => {
    const org = await createOrg();
    for (const role of ["OWNER", "ADMIN"] as const) {
      signInAs((await createMember(org.id, role)).id);
      await expect(setWebhooksEnabledAction({ org: org.slug, enabled: true })).resolves.toEqual({ ok: true, data: { enabled: true } });
      expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).webhooksEnabled).toBe(true);
      await expect(setWebhooksEnabledAction({ org: org.slug, enabled: false })).resolves.toEqual({ ok: true, data: { enabled: false } });
      expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).webhooksEnabled).toBe(false);
    }
  });

  it("refuses a viewer with a clear message and changes nothing", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "VIEWER")).id);
    const result = await setWebhooksEnabledAction({ org: org.slug, enabled: true });
    expect(result).toMatchObject({ ok: false, code: "forbidden" });
    expect(!result.ok && result.error).toMatch(/Admin role/);
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).webhooksEnabled).toBe(false);
  });

  it("refuses members of other organizations and anonymous callers", async () => {
    const org = await createOrg();
    const other = await createOrg();
    signInAs((await createMember(other.id, "OWNER")).id);
    await expect(setWebhooksEnabledAction({ org: org.slug, enabled: true })).resolves.toMatchObject({ ok: false, code: "not_found" });
    signInAs(null);
    await expect(setWebhooksEnabledAction({ org: org.slug, enabled: true })).resolves.toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("rejects malformed input with a specific error", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "OWNER")).id);
    const result = await setWebhooksEnabledAction({ org: org.slug, enabled: "yes" });
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { enabled: expect.any(Array) } });
  });
});
