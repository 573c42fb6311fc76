import bcrypt from "bcryptjs";
import { describe, expect, it, vi } from "vitest";
import { acceptInviteAction, acceptInviteNewAccountAction } from "@/actions/invites";
import { changeRoleAction, createInviteAction, removeMemberAction, revokeInviteAction } from "@/actions/members";
import { inviteOwnerAction } from "@/actions/organizations";
import { db } from "@/lib/db";
import { acceptInvite, createInvite, findInvite, INVITE_TTL_MS, listPendingInvites } from "@/lib/members/invites";
import { changeRole, listMembers, removeMember } from "@/lib/members/members";
import { ORGANIZATION_DISABLED, organizationDisabledMessage } from "@/lib/organizations/disabled";
import { setOrganizationDisabled } from "@/lib/organizations/organizations";
import { webhooksPath } from "@/lib/routes";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg, createUser } from "@/tests/helpers/factories";

/** Sign-in after accepting an invite is Auth.js's (tests/integration/account.test.ts drives the real one); here it is recorded. */
const signIns = vi.hoisted(() => [] as { email: string; password: string }[]);
vi.mock("@/auth", async () => ({
  ...(await import("@/tests/helpers/auth-mock")),
  signIn: async (_provider: string, options: { email: string; password: string }) => {
    signIns.push(options);
  },
}));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": "http" }) }));

const STRONG = "violet tractor umbrella 42";

/** An organization and its owner, signed in. */
async function ownedOrg() {
  const org = await createOrg();
  const owner = await createMember(org.id, "OWNER");
  signInAs(owner.id);
  return { org, owner };
}

async function invite(org: { slug: string }, email: string, role: "OWNER" | "ADMIN" | "VIEWER" = "VIEWER") {
  const result = await createInviteAction({ org: org.slug, email, role });
  if (!result.ok) throw new Error(`invite failed: ${result.error}`);
  return { ...result.data, token: decodeURIComponent(result.data.url.split("/invite/")[1]!) };
}

const newAccount = (token: string, name = "Nora New", password = STRONG) => acceptInviteNewAccountAction({ token, name, password, confirmPassword: password });
const auditActions = (organizationId: string) => db.auditLog.findMany({ where: { organizationId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }).then((rows) => rows.map((r) => r.action));
const email = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}@example.test`;

/** What must stay as it was after a refused acceptance: no account, no membership, the invite untouched. */
async function snapshot(organizationId: string, address: string) {
  return {
    users: await db.user.count({ where: { email: address } }),
    members: await db.membership.count({ where: { organizationId } }),
    invites: await db.invite.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" }, select: { acceptedAt: true, revokedAt: true } }),
  };
}

describe("invite → accept → role change → removal", () => {
  it("a new person joins through the link with a name and password; the owner changes their role, then removes them; every step is audited", async () => {
    const { org } = await ownedOrg();
    const address = email("nora");
    const created = await invite(org, address.toUpperCase(), "VIEWER");
    expect(created).toMatchObject({ email: address, role: "VIEWER", mail: "not_configured" });
    expect(created.url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/invite\/inv_/);
    expect(await listPendingInvites(org.id)).toMatchObject([{ email: address, role: "VIEWER" }]);

    signInAs(null);
    await expect(findInvite(created.token)).resolves.toMatchObject({ ok: true, accountExists: false, invite: { email: address, organization: { slug: org.slug } } });
    await expect(newAccount(created.token)).rejects.toMatchObject({ digest: expect.stringContaining(webhooksPath(org.slug)) });
    expect(signIns.at(-1)).toMatchObject({ email: address, password: STRONG });

    const user = await db.user.findUniqueOrThrow({ where: { email: address } });
    expect(user.name).toBe("Nora New");
    expect(await bcrypt.compare(STRONG, user.passwordHash)).toBe(true);
    expect(await listMembers(org.id)).toContainEqual(expect.objectContaining({ userId: user.id, email: address, role: "VIEWER", lastSignInAt: null }));
    expect(await listPendingInvites(org.id)).toEqual([]);

    const owner = (await db.membership.findFirstOrThrow({ where: { organizationId: org.id, role: "OWNER" } })).userId;
    signInAs(owner);
    await expect(changeRoleAction({ org: org.slug, userId: user.id, role: "ADMIN" })).resolves.toMatchObject({ ok: true, data: { changed: true, role: "ADMIN" } });
    expect(await db.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: user.id } })).toMatchObject({ role: "ADMIN" });
    await expect(removeMemberAction({ org: org.slug, userId: user.id })).resolves.toMatchObject({ ok: true, data: { email: address, self: false } });
    expect(await db.membership.count({ where: { organizationId: org.id, userId: user.id } })).toBe(0);
    // The account stays: only the access ends.
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);

    expect(await auditActions(org.id)).toEqual(["member.invited", "member.joined", "member.role_changed", "member.removed"]);
    const changed = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.id, action: "member.role_changed" } });
    expect(changed).toMatchObject({ actorId: owner, changes: { email: address, role: { before: "VIEWER", after: "ADMIN" } } });
    // Passwords never reach the audit log.
    const everything = JSON.stringify(await db.auditLog.findMany({ where: { organizationId: org.id } }));
    expect(everything).not.toContain(STRONG);
    expect(everything).not.toContain(created.token);
  });

  it("an existing account accepts when signed in as the invited address; signed in as another address it is told which, and nothing changes", async () => {
    const { org } = await ownedOrg();
    const existing = await createUser();
    const created = await invite(org, existing.email, "ADMIN");
    await expect(findInvite(created.token)).resolves.toMatchObject({ ok: true, accountExists: true });

    // Creating a second account for the address is refused: its owner signs in instead.
    signInAs(null);
    const before = await snapshot(org.id, existing.email);
    await expect(newAccount(created.token)).resolves.toMatchObject({ ok: false, code: "account_exists", error: expect.stringMatching(/Sign in to accept/) });

    const other = await createUser();
    signInAs(other.id);
    await expect(acceptInviteAction({ token: created.token })).resolves.toMatchObject({
      ok: false,
      code: "wrong_account",
      error: `This invite is for ${existing.email}, but you are signed in as ${other.email}. Sign out, then sign in as ${existing.email} (or open the link in a private window).`,
    });
    expect(await snapshot(org.id, existing.email)).toEqual(before);

    signInAs(existing.id);
    await expect(acceptInviteAction({ token: created.token })).resolves.toEqual({ ok: true, data: { href: webhooksPath(org.slug), organization: org.name } });
    expect(await db.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: existing.id } })).toMatchObject({ role: "ADMIN" });
  });
});

describe("links that no longer work", () => {
  it("a used link is refused, for a new account and for a signed-in user, and nothing changes", async () => {
    const { org } = await ownedOrg();
    const address = email("used");
    const created = await invite(org, address);
    signInAs(null);
    await expect(newAccount(created.token)).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
    const before = await snapshot(org.id, address);
    await expect(newAccount(created.token, "Someone Else", "another quite long passphrase 7")).resolves.toMatchObject({ ok: false, code: "invite_used", error: expect.stringMatching(/already used/) });
    signInAs((await db.user.findUniqueOrThrow({ where: { email: address } })).id);
    await expect(acceptInviteAction({ token: created.token })).resolves.toMatchObject({ ok: false, code: "invite_used" });
    expect(await snapshot(org.id, address)).toEqual(before);
  });

  it("an expired link is refused and creates nothing", async () => {
    const { org, owner } = await ownedOrg();
    const address = email("late");
    const eightDaysAgo = new Date(Date.now() - INVITE_TTL_MS - 24 * 3600_000);
    const created = await createInvite({ organizationId: org.id, email: address, role: "ADMIN" }, owner, eightDaysAgo);
    if (!created.ok) throw new Error("setup failed");
    signInAs(null);
    const before = await snapshot(org.id, address);
    await expect(newAccount(created.token)).resolves.toMatchObject({ ok: false, code: "invite_expired", error: expect.stringMatching(/^This invite expired on .+ Ask an owner of/) });
    expect(await snapshot(org.id, address)).toEqual(before);
    expect(before.users).toBe(0);
    // Nor is it listed as pending.
    expect(await listPendingInvites(org.id)).toEqual([]);
  });

  it("a revoked link, and a link replaced by a newer invite, are refused with their own message", async () => {
    const { org } = await ownedOrg();
    const address = email("revoked");
    const first = await invite(org, address);
    const second = await invite(org, address);
    const pending = await listPendingInvites(org.id);
    expect(pending).toHaveLength(1);
    await expect(findInvite(first.token)).resolves.toMatchObject({ ok: false, code: "invite_replaced", message: expect.stringMatching(/newer invite/) });

    await expect(revokeInviteAction({ org: org.slug, inviteId: pending[0]!.id })).resolves.toMatchObject({ ok: true, data: { email: address } });
    await expect(revokeInviteAction({ org: org.slug, inviteId: pending[0]!.id })).resolves.toMatchObject({ ok: false, code: "not_found" });
    signInAs(null);
    const before = await snapshot(org.id, address);
    await expect(newAccount(second.token)).resolves.toMatchObject({ ok: false, code: "invite_revoked", error: expect.stringMatching(/revoked by an owner/) });
    await expect(newAccount(first.token)).resolves.toMatchObject({ ok: false, code: "invite_replaced" });
    await expect(newAccount("inv_not-a-real-token")).resolves.toMatchObject({ ok: false, code: "invite_not_found" });
    expect(await snapshot(org.id, address)).toEqual(before);
    expect(await auditActions(org.id)).toEqual(["member.invited", "member.invited", "member.invite_revoked"]);
  });

  it("two acceptances of one link at the same moment make one account and one membership", async () => {
    const { org } = await ownedOrg();
    const address = email("twice");
    const created = await invite(org, address);
    const outcomes = await Promise.allSettled([
      acceptInvite(created.token, { kind: "new", name: "A", passwordHash: "x" }),
      acceptInvite(created.token, { kind: "new", name: "B", passwordHash: "x" }),
    ]);
    const values = outcomes.map((o) => (o.status === "fulfilled" ? o.value : { ok: "threw", reason: String(o.reason) }));
    expect(values.filter((v) => v.ok === true)).toHaveLength(1);
    expect(values.filter((v) => v.ok === false)).toHaveLength(1);
    expect(await db.user.count({ where: { email: address } })).toBe(1);
    expect(await db.membership.count({ where: { organizationId: org.id, user: { email: address } } })).toBe(1);
  });
});

describe("an organization staff disabled", () => {
  const STAFF = { id: null, email: "staff@hookrelay.test" };
  const setDisabled = async (id: string, disabled: boolean) => expect(await setOrganizationDisabled(id, disabled, STAFF)).toMatchObject({ ok: true });

  it("refuses a new invite, from its owner and from staff inviting an owner, with the reason; enabled again, inviting works", async () => {
    const { org, owner } = await ownedOrg();
    await setDisabled(org.id, true);
    const refusal = { ok: false, code: ORGANIZATION_DISABLED, error: organizationDisabledMessage.invite(org.name) };
    await expect(createInviteAction({ org: org.slug, email: email("late"), role: "VIEWER" })).resolves.toMatchObject(refusal);
    signInAs((await createUser({ isStaff: true })).id);
    await expect(inviteOwnerAction({ id: org.id, email: email("owner") })).resolves.toMatchObject(refusal);
    expect(await db.invite.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await auditActions(org.id)).toEqual(["organization.disabled"]);

    await setDisabled(org.id, false);
    signInAs(owner.id);
    await expect(createInviteAction({ org: org.slug, email: email("later"), role: "VIEWER" })).resolves.toMatchObject({ ok: true });
  });

  it("refuses accepting an invite made before, for a new account and for a signed-in user, changing nothing; enabled again, the same link works", async () => {
    const { org } = await ownedOrg();
    const address = email("waiting");
    const created = await invite(org, address);
    const existing = await createUser();
    const forExisting = await invite(org, existing.email, "ADMIN");
    await setDisabled(org.id, true);

    signInAs(null);
    const refusal = { ok: false, code: ORGANIZATION_DISABLED, error: organizationDisabledMessage.invitee(org.name) };
    await expect(findInvite(created.token)).resolves.toEqual({ ok: false, code: ORGANIZATION_DISABLED, message: organizationDisabledMessage.invitee(org.name) });
    const before = await snapshot(org.id, address);
    await expect(newAccount(created.token)).resolves.toMatchObject(refusal);
    await expect(acceptInvite(created.token, { kind: "new", name: "Direct", passwordHash: "x" })).resolves.toMatchObject({ ok: false, code: ORGANIZATION_DISABLED });
    signInAs(existing.id);
    await expect(acceptInviteAction({ token: forExisting.token })).resolves.toMatchObject(refusal);
    expect(await snapshot(org.id, address)).toEqual(before);

    await setDisabled(org.id, false);
    await expect(acceptInviteAction({ token: forExisting.token })).resolves.toMatchObject({ ok: true });
    signInAs(null);
    await expect(newAccount(created.token)).rejects.toMatchObject({ digest: expect.stringContaining(webhooksPath(org.slug)) });
  });
});

describe("bad input", () => {
  it("an invite to an existing member is refused, and no invite is created", async () => {
    const { org } = await ownedOrg();
    const admin = await createMember(org.id, "ADMIN");
    await expect(createInviteAction({ org: org.slug, email: admin.email, role: "VIEWER" })).resolves.toMatchObject({
      ok: false,
      code: "already_member",
      fieldErrors: { email: [expect.stringMatching(/already a member .* Change their role instead/)] },
    });
    await expect(createInviteAction({ org: org.slug, email: "not-an-address", role: "VIEWER" })).resolves.toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { email: ["Enter a valid email address"] } });
    expect(await db.invite.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("a short, common or personal password is refused with the estimator's advice, and no account is created", async () => {
    const { org } = await ownedOrg();
    const address = email("weak");
    const created = await invite(org, address);
    signInAs(null);
    await expect(newAccount(created.token, "Wendy Weak", "short pass")).resolves.toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { password: ["Use at least 12 characters"] } });
    await expect(newAccount(created.token, "Wendy Weak", "password1234")).resolves.toMatchObject({
      ok: false,
      code: "weak_password",
      fieldErrors: { password: [expect.stringMatching(/^This password is too easy to guess\. This is similar to a commonly used password\./)] },
    });
    await expect(newAccount(created.token, "Wendy Weak", `${address}1`)).resolves.toMatchObject({ ok: false, code: "weak_password", error: expect.stringMatching(/your name or e-mail address/) });
    await expect(acceptInviteNewAccountAction({ token: created.token, name: "Wendy", password: STRONG, confirmPassword: `${STRONG}!` })).resolves.toMatchObject({
      ok: false,
      fieldErrors: { confirmPassword: ["The two passwords differ"] },
    });
    expect(await db.user.count({ where: { email: address } })).toBe(0);
    await expect(findInvite(created.token)).resolves.toMatchObject({ ok: true });
  });
});

describe("the last owner", () => {
  it("cannot be demoted or removed; with a second owner either can go, but not both", async () => {
    const { org, owner } = await ownedOrg();
    await expect(changeRoleAction({ org: org.slug, userId: owner.id, role: "ADMIN" })).resolves.toMatchObject({ ok: false, code: "last_owner", error: expect.stringMatching(/only owner .* Make another member an owner first/) });
    await expect(removeMemberAction({ org: org.slug, userId: owner.id })).resolves.toMatchObject({ ok: false, code: "last_owner" });

    const second = await createMember(org.id, "ADMIN");
    await expect(changeRoleAction({ org: org.slug, userId: second.id, role: "OWNER" })).resolves.toMatchObject({ ok: true });
    await expect(changeRoleAction({ org: org.slug, userId: owner.id, role: "VIEWER" })).resolves.toMatchObject({ ok: true });
    signInAs(second.id);
    await expect(removeMemberAction({ org: org.slug, userId: second.id })).resolves.toMatchObject({ ok: false, code: "last_owner" });
    expect(await db.membership.count({ where: { organizationId: org.id, role: "OWNER" } })).toBe(1);
  });

  it("survives two owners demoting each other at the same moment", async () => {
    const org = await createOrg();
    const a = await createMember(org.id, "OWNER");
    const b = await createMember(org.id, "OWNER");
    const results = await Promise.all([changeRole(org.id, a.id, "ADMIN", b), changeRole(org.id, b.id, "ADMIN", a)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toMatchObject([{ code: "last_owner" }]);
    expect(await db.membership.count({ where: { organizationId: org.id, role: "OWNER" } })).toBe(1);

    const c = await createMember(org.id, "OWNER");
    const owners = await db.membership.findMany({ where: { organizationId: org.id, role: "OWNER" }, select: { userId: true } });
    const removals = await Promise.all(owners.map((o) => removeMember(org.id, o.userId, c)));
    expect(removals.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.membership.count({ where: { organizationId: org.id, role: "OWNER" } })).toBe(1);
  });
});

describe("who may manage members", () => {
  it("admins and viewers see nothing change when they try; an owner of another organization is not found", async () => {
    const { org, owner } = await ownedOrg();
    const viewer = await createMember(org.id, "VIEWER");
    const pending = await invite(org, email("pending"));
    const inviteId = (await listPendingInvites(org.id))[0]!.id;
    const outsider = await ownedOrg();

    for (const [who, code] of [[await createMember(org.id, "ADMIN"), "forbidden"], [viewer, "forbidden"], [outsider.owner, "not_found"]] as const) {
      signInAs(who.id);
      const results = [
        await createInviteAction({ org: org.slug, email: email("x"), role: "OWNER" }),
        await revokeInviteAction({ org: org.slug, inviteId }),
        await changeRoleAction({ org: org.slug, userId: viewer.id, role: "OWNER" }),
        await removeMemberAction({ org: org.slug, userId: owner.id }),
      ];
      for (const result of results) expect(result).toMatchObject({ ok: false, code });
      if (code === "forbidden") expect(results[0]).toMatchObject({ error: expect.stringMatching(/needs the Owner role/) });
    }
    // Naming their own organization with this one's ids does not help either.
    signInAs(outsider.owner.id);
    await expect(changeRoleAction({ org: outsider.org.slug, userId: viewer.id, role: "OWNER" })).resolves.toMatchObject({ ok: false, code: "not_found" });
    await expect(revokeInviteAction({ org: outsider.org.slug, inviteId })).resolves.toMatchObject({ ok: false, code: "not_found" });

    expect(await db.membership.findMany({ where: { organizationId: org.id }, select: { userId: true, role: true }, orderBy: { userId: "asc" } })).toHaveLength(3);
    expect(await db.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: viewer.id } })).toMatchObject({ role: "VIEWER" });
    expect(await listPendingInvites(org.id)).toHaveLength(1);
    await expect(findInvite(pending.token)).resolves.toMatchObject({ ok: true });
    expect(await auditActions(org.id)).toEqual(["member.invited"]);
  });
});
