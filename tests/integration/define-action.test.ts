import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { notFound } from "next/navigation";
import { defineAction, fail, member, signedIn, staff } from "@/lib/actions/define-action";
import { AuthorizationError } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { orgSlugSchema } from "@/lib/validations/organization";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg, createUser } from "@/tests/helpers/factories";
import { captureLogs } from "@/tests/helpers/log-capture";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));

/** A small action of each kind, written as the app's actions are, against the real database. */
const renameSchema = z
  .object({
    org: orgSlugSchema,
    name: z.string().trim().min(1, "Name is required"),
    aliases: z.array(z.string().min(2, "Aliases have at least 2 characters")).default([]),
  })
  .refine((v) => !v.aliases.includes(v.name), { error: "An alias cannot repeat the name" });

const renameOrganization = defineAction({
  input: renameSchema,
  access: member("ADMIN"),
  run: async ({ name }, { organization, user }) => {
    if (name === "taken") return fail("name_taken", "That name is taken.", { name: ["That name is taken."] });
    const updated = await db.organization.update({ where: { id: organization.id }, data: { name } });
    return { name: updated.name, by: user.id };
  },
});

const staffEcho = defineAction({
  input: z.object({ text: z.string().min(1, "Say something") }),
  access: staff(),
  run: async ({ text }, { user }) => ({ text, staff: user.isStaff }),
});

const whoAmI = defineAction({
  input: z.object({}),
  access: signedIn(),
  run: async (_input, { user }) => ({ id: user.id }),
});

const scoped = defineAction({
  input: z.object({ org: orgSlugSchema, platform: z.boolean() }),
  access: ({ platform }) => (platform ? staff() : member("OWNER")),
  run: async (_input, caller) => ({ organization: "organization" in caller ? caller.organization.slug : null }),
});

const throwing = (error: unknown) =>
  defineAction({
    input: z.object({}),
    access: signedIn(),
    run: async () => {
      throw error;
    },
  });

afterEach(() => vi.restoreAllMocks());

describe("defineAction: input", () => {
  it("returns invalid_input with field errors keyed by dotted path, and _form for the whole input", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "ADMIN")).id);
    await expect(renameOrganization({ org: org.slug, name: " ", aliases: ["x"] })).resolves.toEqual({
      ok: false,
      code: "invalid_input",
      error: "Name is required",
      fieldErrors: { name: ["Name is required"], "aliases.0": ["Aliases have at least 2 characters"] },
    });
    await expect(renameOrganization({ org: org.slug, name: "same", aliases: ["same"] })).resolves.toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { _form: ["An alias cannot repeat the name"] },
    });
    await expect(renameOrganization("not an object")).resolves.toMatchObject({ ok: false, code: "invalid_input" });
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).name).toBe(org.name);
  });

  it("passes the parsed input (trimmed, defaults applied) to the domain call", async () => {
    const org = await createOrg();
    const admin = await createMember(org.id, "ADMIN");
    signInAs(admin.id);
    await expect(renameOrganization({ org: org.slug, name: "  Renamed  " })).resolves.toEqual({ ok: true, data: { name: "Renamed", by: admin.id } });
  });
});

describe("defineAction: session and role", () => {
  it("refuses signed-out callers before anything else", async () => {
    const org = await createOrg();
    signInAs(null);
    for (const result of [await renameOrganization({ org: org.slug, name: "x" }), await staffEcho({ text: "hi" }), await whoAmI({})]) {
      expect(result).toEqual({ ok: false, code: "unauthenticated", error: "You are signed out. Sign in again to continue." });
    }
  });

  it("refuses a member below the required role and hides organizations the caller is not in", async () => {
    const org = await createOrg();
    const other = await createOrg();
    signInAs((await createMember(org.id, "VIEWER")).id);
    await expect(renameOrganization({ org: org.slug, name: "Mine now" })).resolves.toMatchObject({ ok: false, code: "forbidden", error: expect.stringMatching(/Admin role/) });
    signInAs((await createMember(org.id, "OWNER")).id);
    await expect(renameOrganization({ org: other.slug, name: "Theirs now" })).resolves.toEqual({ ok: false, code: "not_found", error: "Organization not found." });
    expect((await db.organization.findUniqueOrThrow({ where: { id: other.id } })).name).toBe(other.name);
  });

  it("staff-only actions refuse everyone else, owners included, even before reading the input", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "OWNER")).id);
    await expect(staffEcho({ text: "hi" })).resolves.toEqual({ ok: false, code: "forbidden", error: "Only platform staff can do this." });
    await expect(staffEcho({ text: "" })).resolves.toMatchObject({ ok: false, code: "forbidden" });
    // Staff need no membership anywhere.
    signInAs((await createUser({ isStaff: true })).id);
    await expect(staffEcho({ text: "hi" })).resolves.toEqual({ ok: true, data: { text: "hi", staff: true } });
    await expect(staffEcho({ text: "" })).resolves.toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { text: ["Say something"] } });
  });

  it("account-level actions need only a signed-in user", async () => {
    const user = await createUser();
    signInAs(user.id);
    await expect(whoAmI({})).resolves.toEqual({ ok: true, data: { id: user.id } });
  });

  it("an access chosen from the input checks the role or staff it names", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "OWNER")).id);
    await expect(scoped({ org: org.slug, platform: false })).resolves.toEqual({ ok: true, data: { organization: org.slug } });
    await expect(scoped({ org: org.slug, platform: true })).resolves.toMatchObject({ ok: false, code: "forbidden" });
    signInAs((await createUser({ isStaff: true })).id);
    await expect(scoped({ org: org.slug, platform: true })).resolves.toEqual({ ok: true, data: { organization: null } });
    await expect(scoped({ org: org.slug, platform: false })).resolves.toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("defineAction: results", () => {
  it("returns a domain failure as a value with its code, message and field errors", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "OWNER")).id);
    await expect(renameOrganization({ org: org.slug, name: "taken" })).resolves.toEqual({
      ok: false,
      code: "name_taken",
      error: "That name is taken.",
      fieldErrors: { name: ["That name is taken."] },
    });
  });

  it("maps an AuthorizationError thrown by the domain call to its code", async () => {
    signInAs((await createUser()).id);
    await expect(throwing(new AuthorizationError("forbidden", "Not yours."))({})).resolves.toEqual({ ok: false, code: "forbidden", error: "Not yours." });
  });

  it("hides an unexpected error from the caller and logs it on the server", async () => {
    signInAs((await createUser()).id);
    const logs = captureLogs();
    const secret = new Error('connect ECONNREFUSED postgres://app:s3cret@db:5432 relation "Organization" does not exist');
    const result = await throwing(secret)({}).finally(logs.restore);
    expect(result).toEqual({ ok: false, code: "internal", error: expect.stringMatching(/Something went wrong on our side/) });
    expect(JSON.stringify(result)).not.toMatch(/s3cret|ECONNREFUSED|Organization/);
    expect(logs.errors()).toContainEqual(expect.objectContaining({ msg: "[action] server action failed", error: expect.objectContaining({ type: "Error", message: secret.message }) }));
  });

  it("lets Next's own control flow (notFound, redirect) through", async () => {
    signInAs((await createUser()).id);
    const action = defineAction({
      input: z.object({}),
      access: signedIn(),
      run: async () => notFound(),
    });
    await expect(action({})).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404/);
  });
});
