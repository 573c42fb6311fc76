import { readdirSync } from "node:fs";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/lib/api-keys/manage";
import { createEventType } from "@/lib/catalog/event-types";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { db } from "@/lib/db";
import { createEndpoint, deleteEndpoint } from "@/lib/endpoints/endpoints";
import { createInvite } from "@/lib/members/invites";
import { sendEvent } from "@/lib/messages/send-event";
import { sendTestMessage } from "@/lib/messages/send-test";
import { PLATFORM_ORGANIZATION_ID } from "@/lib/operational/platform";
import { startRecovery } from "@/lib/recovery/tasks";
import { eventTypeSchema } from "@/lib/validations/catalog";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { signInAs } from "@/tests/helpers/auth-mock";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { createMember, createOrg, createUser, TEST_PASSWORD, uniqueSlug } from "@/tests/helpers/factories";
import { endpointInput, ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

// The session stand-in, with Auth.js's own sign-in and sign-out as no-ops: the password actions
// call them after their work, and outside a Next request they have no cookie to write.
vi.mock("@/auth", async () => ({ ...(await import("@/tests/helpers/auth-mock")), signIn: async () => undefined, signOut: async () => undefined }));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": "http" }),
  cookies: async () => ({ get: () => undefined, has: () => false, set: () => undefined }),
}));

/**
 * Every server action, found by importing each file of actions/ (what Next exposes as endpoints),
 * called as a Viewer, an Admin and an Owner of one organization, as the Owner of another
 * organization, and as platform staff who is no member, each with valid input built afresh for the
 * call. The expected outcome of each is written below by hand; an action without a row fails.
 *
 * An outcome is "ok" (the action did its work) or the failure's code. A code that is not an
 * authorization code ("delivery_in_progress", "not_portal") shows the caller got past the role check
 * to the domain; where the domain answers "not_found" for staff, staff got past `staff()` too.
 */

setTestEncryptionKey();

/** Who calls. `theirOrg` is the other organization's owner naming their own organization with this one's ids. */
const CALLERS = ["viewer", "admin", "owner", "otherOwner", "staff"] as const;
type Caller = (typeof CALLERS)[number];
type Outcome = string;

interface World {
  org: { id: string; slug: string };
  other: { id: string; slug: string };
  users: Record<Caller, { id: string; email: string }>;
  /** Makes fixtures in `org`: an owner of it who is no caller. */
  fixtureOwner: { id: string; email: string };
  /** Makes staff fixtures (event types, organizations, operator endpoints). */
  fixtureStaff: { id: string; email: string };
}

interface Row {
  viewer: Outcome;
  admin: Outcome;
  owner: Outcome;
  otherOwner: Outcome;
  staff: Outcome;
  /** The other organization's owner, naming their own organization with this one's ids; null for actions with no `org`. */
  theirOrg: Outcome | null;
  /** Valid input for one call, with whatever it refers to made fresh in `world.org`. */
  input: (world: World, caller: Caller) => Promise<Record<string, unknown>>;
}

/** Actions outside `defineAction`, on purpose (docs/server-actions.md): the session itself, or an invite token as the authority. */
const OUTSIDE_THE_HELPER: Record<string, string> = {
  "auth.signInAction": "signs in: the caller has no session yet",
  "auth.signOutAction": "ends the caller's own session",
  "invites.acceptInviteNewAccountAction": "the invite token authorizes it; the caller has no account yet",
  "invites.signOutForInviteAction": "ends the caller's own session, then returns to the invite",
};

// Nothing in this file runs deliveries; should another file's executor on the shared database pick one up, it goes to loopback (port 9, refused).
const ENDPOINT_URL = "http://127.0.0.1:9/hook";
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
const PASSWORD_HASH = bcrypt.hashSync(TEST_PASSWORD, 4);
/** Marks the operator endpoints this file makes (the action's own included), to delete them all at the end. */
const OPERATOR_MARK = "made by the role test";

async function endpoint(w: World): Promise<string> {
  const created = await createEndpoint(w.org.id, endpointConfigSchema.parse({ url: ENDPOINT_URL, eventTypes: ["contract.created"], rateLimit: "" }), w.fixtureOwner);
  if (!created.ok) throw new Error(created.message);
  return created.id;
}

async function message(w: World): Promise<{ endpointId: string; messageId: string }> {
  const endpointId = await endpoint(w);
  const sent = await sendEvent({ id: w.org.id, webhooksEnabled: true }, contractCreated());
  if (!sent.ok) throw new Error(sent.message);
  return { endpointId, messageId: sent.message.id };
}

async function operatorEndpoint(w: World): Promise<string> {
  const config = endpointConfigSchema.parse({ url: ENDPOINT_URL, description: OPERATOR_MARK, eventTypes: ["message.attempt.recovered"], rateLimit: "" });
  const created = await createEndpoint(PLATFORM_ORGANIZATION_ID, config, w.fixtureStaff);
  if (!created.ok) throw new Error(created.message);
  return created.id;
}

const eventTypeName = () => `rolecheck${Math.random().toString(36).slice(2, 10)}.created`;

const eventTypeInput = (name: string) => {
  const seed = SEED_CATALOG[0]!;
  return { name, description: "made by the role test", deprecated: false, schema: seed.schema, examples: seed.examples };
};

async function eventType(w: World): Promise<string> {
  const name = eventTypeName();
  const created = await createEventType(eventTypeSchema.parse(eventTypeInput(name)), w.fixtureStaff);
  if (created !== "created") throw new Error(created);
  return name;
}

const freshOrgId = async () => (await createOrg()).id;
const orgOnly = async (w: World) => ({ org: w.org.slug });

/** Organization actions: a member with at least `role`; strangers and staff who are not members see no organization. */
const MEMBER_VIEWER = { viewer: "ok", admin: "ok", owner: "ok", otherOwner: "not_found", staff: "not_found" } as const;
const MEMBER_ADMIN = { viewer: "forbidden", admin: "ok", owner: "ok", otherOwner: "not_found", staff: "not_found" } as const;
const MEMBER_OWNER = { viewer: "forbidden", admin: "forbidden", owner: "ok", otherOwner: "not_found", staff: "not_found" } as const;
/** Platform staff only, whatever their memberships. */
const STAFF_ONLY = { viewer: "forbidden", admin: "forbidden", owner: "forbidden", otherOwner: "forbidden", staff: "ok", theirOrg: null } as const;
/** Any signed-in user, for their own account. */
const SIGNED_IN = { viewer: "ok", admin: "ok", owner: "ok", otherOwner: "ok", staff: "ok", theirOrg: null } as const;

const TABLE: Record<string, Row> = {
  "account.changePasswordAction": {
    ...SIGNED_IN,
    input: async (w, caller) => {
      await db.user.update({ where: { id: w.users[caller].id }, data: { passwordHash: PASSWORD_HASH } });
      return { currentPassword: TEST_PASSWORD, password: "a quite different passphrase 42", confirmPassword: "a quite different passphrase 42" };
    },
  },
  "account.signOutEverywhereAction": { ...SIGNED_IN, input: async () => ({}) },

  "api-keys.createApiKeyAction": { ...MEMBER_ADMIN, theirOrg: "ok", input: async (w) => ({ org: w.org.slug, name: "role test", scope: "ORGANIZATION" }) },
  "api-keys.revokeApiKeyAction": {
    ...MEMBER_ADMIN,
    theirOrg: "not_found",
    input: async (w) => {
      const key = await createApiKey({ name: "role test", scope: "ORGANIZATION", organizationId: w.org.id, createdById: w.fixtureOwner.id });
      return { org: w.org.slug, id: key.summary.id };
    },
  },

  "catalog.createEventTypeAction": { ...STAFF_ONLY, input: async () => eventTypeInput(eventTypeName()) },
  "catalog.updateEventTypeAction": { ...STAFF_ONLY, input: async (w) => eventTypeInput(await eventType(w)) },
  "catalog.setEventTypeArchivedAction": { ...STAFF_ONLY, input: async (w) => ({ name: await eventType(w), archived: true }) },

  "endpoint-testing.checkTestPayloadAction": {
    ...MEMBER_VIEWER,
    // Checks a payload against the catalog only: nothing of the named endpoint is read.
    theirOrg: "ok",
    input: async (w) => ({ org: w.org.slug, endpointId: await endpoint(w), eventType: "contract.created", payloadJson: JSON.stringify(contractCreated().payload) }),
  },
  "endpoint-testing.sendTestAction": {
    ...MEMBER_ADMIN,
    theirOrg: "not_found",
    input: async (w) => ({ org: w.org.slug, endpointId: await endpoint(w), eventType: "contract.created", payloadJson: JSON.stringify(contractCreated().payload) }),
  },
  "endpoint-testing.testDeliveryStateAction": {
    ...MEMBER_VIEWER,
    theirOrg: "not_found",
    input: async (w) => {
      const endpointId = await endpoint(w);
      const sent = await sendTestMessage({ id: w.org.id, webhooksEnabled: true }, endpointId, contractCreated());
      if (!sent.ok) throw new Error(sent.message);
      return { org: w.org.slug, endpointId, deliveryId: sent.deliveryId };
    },
  },

  "endpoints.createEndpointAction": { ...MEMBER_ADMIN, theirOrg: "ok", input: async (w) => endpointInput(w.org.slug, { url: ENDPOINT_URL }) },
  "endpoints.updateEndpointAction": {
    ...MEMBER_ADMIN,
    theirOrg: "not_found",
    input: async (w) => ({ ...endpointInput(w.org.slug, { url: ENDPOINT_URL, description: "renamed" }), endpointId: await endpoint(w), confirmUrlChange: false }),
  },
  "endpoints.setEndpointDisabledAction": { ...MEMBER_ADMIN, theirOrg: "not_found", input: async (w) => ({ org: w.org.slug, endpointId: await endpoint(w), disabled: true }) },
  "endpoints.deleteEndpointAction": { ...MEMBER_ADMIN, theirOrg: "not_found", input: async (w) => ({ org: w.org.slug, endpointId: await endpoint(w) }) },
  "endpoints.rotateEndpointSecretAction": { ...MEMBER_ADMIN, theirOrg: "not_found", input: async (w) => ({ org: w.org.slug, endpointId: await endpoint(w) }) },
  "endpoints.revealEndpointSecretAction": { ...MEMBER_ADMIN, theirOrg: "not_found", input: async (w) => ({ org: w.org.slug, endpointId: await endpoint(w) }) },
  "endpoints.revealEndpointHeadersAction": { ...MEMBER_ADMIN, theirOrg: "not_found", input: async (w) => ({ org: w.org.slug, endpointId: await endpoint(w) }) },

  "invites.acceptInviteAction": {
    ...SIGNED_IN,
    input: async (w, caller) => {
      const invite = await createInvite({ organizationId: await freshOrgId(), email: w.users[caller].email, role: "VIEWER" }, w.fixtureStaff);
      if (!invite.ok) throw new Error(invite.message);
      return { token: invite.token };
    },
  },

  "members.createInviteAction": { ...MEMBER_OWNER, theirOrg: "ok", input: async (w) => ({ org: w.org.slug, email: `${uniqueSlug("invitee")}@example.test`, role: "VIEWER" }) },
  "members.revokeInviteAction": {
    ...MEMBER_OWNER,
    theirOrg: "not_found",
    input: async (w) => {
      const invite = await createInvite({ organizationId: w.org.id, email: `${uniqueSlug("invitee")}@example.test`, role: "VIEWER" }, w.fixtureOwner);
      if (!invite.ok) throw new Error(invite.message);
      return { org: w.org.slug, inviteId: invite.invite.id };
    },
  },
  "members.changeRoleAction": { ...MEMBER_OWNER, theirOrg: "not_found", input: async (w) => ({ org: w.org.slug, userId: (await createMember(w.org.id, "VIEWER")).id, role: "ADMIN" }) },
  "members.removeMemberAction": { ...MEMBER_OWNER, theirOrg: "not_found", input: async (w) => ({ org: w.org.slug, userId: (await createMember(w.org.id, "VIEWER")).id }) },

  "messages.expungeMessageAction": {
    ...MEMBER_ADMIN,
    theirOrg: "not_found",
    input: async (w) => ({ org: w.org.slug, messageId: (await message(w)).messageId, responses: true }),
  },

  "operational-webhooks.createOperatorEndpointAction": { ...STAFF_ONLY, input: async () => ({ url: ENDPOINT_URL, description: OPERATOR_MARK, eventTypes: ["message.attempt.recovered"], rateLimit: "" }) },
  "operational-webhooks.updateOperatorEndpointAction": {
    ...STAFF_ONLY,
    input: async (w) => ({ endpointId: await operatorEndpoint(w), url: ENDPOINT_URL, description: OPERATOR_MARK, eventTypes: ["message.attempt.recovered"], rateLimit: "" }),
  },
  "operational-webhooks.setOperatorEndpointDisabledAction": { ...STAFF_ONLY, input: async (w) => ({ endpointId: await operatorEndpoint(w), disabled: true }) },
  "operational-webhooks.deleteOperatorEndpointAction": { ...STAFF_ONLY, input: async (w) => ({ endpointId: await operatorEndpoint(w) }) },
  "operational-webhooks.revealOperatorEndpointSecretAction": { ...STAFF_ONLY, input: async (w) => ({ endpointId: await operatorEndpoint(w) }) },
  "operational-webhooks.rotateOperatorEndpointSecretAction": { ...STAFF_ONLY, input: async (w) => ({ endpointId: await operatorEndpoint(w) }) },
  "operational-webhooks.resendOperationalMessageAction": {
    // No operational message of that id: staff get past `staff()` to the domain's lookup.
    ...STAFF_ONLY,
    staff: "not_found",
    input: async (w) => ({ endpointId: await operatorEndpoint(w), messageId: "msg_0000000000000000000000" }),
  },

  "organizations.createOrganizationAction": { ...STAFF_ONLY, input: async () => ({ name: "Role test", slug: uniqueSlug("roles"), ownerEmail: "" }) },
  "organizations.renameOrganizationAction": { ...STAFF_ONLY, input: async () => ({ id: await freshOrgId(), name: "Renamed", slug: uniqueSlug("renamed") }) },
  "organizations.setOrganizationDisabledAction": { ...STAFF_ONLY, input: async () => ({ id: await freshOrgId(), disabled: true }) },
  "organizations.inviteOwnerAction": { ...STAFF_ONLY, input: async () => ({ id: await freshOrgId(), email: `${uniqueSlug("owner")}@example.test` }) },

  "portal.setPortalOriginsAction": { ...MEMBER_ADMIN, theirOrg: "ok", input: async (w) => ({ org: w.org.slug, origins: ["https://app.example.test"] }) },
  "portal.revokePortalSessionsAction": { ...MEMBER_ADMIN, theirOrg: "ok", input: orgOnly },
  "portal.createPortalLinkAction": { ...MEMBER_ADMIN, theirOrg: "ok", input: async (w) => ({ org: w.org.slug, readOnly: true }) },
  // A member has no portal session to end: the action says so rather than signing anyone out.
  "portal.portalSignOutAction": { ...MEMBER_VIEWER, viewer: "not_portal", admin: "not_portal", owner: "not_portal", theirOrg: "not_portal", input: orgOnly },

  "recovery.previewRecoveryAction": {
    ...MEMBER_ADMIN,
    theirOrg: "not_found",
    input: async (w) => ({ org: w.org.slug, endpointId: await endpoint(w), kind: "resend_failed", since: hourAgo() }),
  },
  "recovery.startRecoveryAction": {
    ...MEMBER_ADMIN,
    theirOrg: "not_found",
    input: async (w) => ({ org: w.org.slug, endpointId: await endpoint(w), kind: "replay_missing", since: hourAgo() }),
  },
  "recovery.resendMessageAction": {
    // The message's delivery is still on its schedule (no executor here): the domain refuses after the role check passed.
    ...MEMBER_ADMIN,
    admin: "delivery_in_progress",
    owner: "delivery_in_progress",
    theirOrg: "not_found",
    input: async (w) => ({ org: w.org.slug, ...(await message(w)) }),
  },
  "recovery.previewBulkResendAction": { ...MEMBER_ADMIN, theirOrg: "ok", input: async (w) => ({ org: w.org.slug, filters: { eventType: "contract.created" } }) },
  "recovery.startBulkResendAction": {
    ...MEMBER_ADMIN,
    theirOrg: "not_found",
    // A fresh endpoint's messages each time: an identical operation already running is refused.
    input: async (w) => ({ org: w.org.slug, filters: { eventType: "contract.created", endpoint: (await message(w)).endpointId } }),
  },
  "recovery.cancelTaskAction": {
    ...MEMBER_ADMIN,
    theirOrg: "not_found",
    input: async (w) => {
      const organization = await db.organization.findUniqueOrThrow({ where: { id: w.org.id } });
      const since = new Date(Date.now() - 3_600_000);
      const started = await startRecovery(organization, w.fixtureOwner, await endpoint(w), "replay_missing", { since, until: new Date() });
      if (!started.ok) throw new Error(started.message);
      return { org: w.org.slug, taskId: started.task.id };
    },
  },
  "recovery.listTasksAction": {
    ...MEMBER_VIEWER,
    // Lists the caller's own organization's operations for that id: none.
    theirOrg: "ok",
    input: async (w) => ({ org: w.org.slug, endpointId: await endpoint(w) }),
  },

  "send-event.sendEventAction": {
    ...STAFF_ONLY,
    theirOrg: "forbidden",
    input: async (w) => ({ org: w.org.slug, eventType: "contract.created", payloadJson: JSON.stringify(contractCreated().payload) }),
  },

  "test-receiver.createReceiverAction": { ...MEMBER_ADMIN, theirOrg: "ok", input: async (w) => ({ org: w.org.slug, name: "role test" }) },

  "webhooks.setWebhooksEnabledAction": { ...MEMBER_ADMIN, theirOrg: "ok", input: async (w) => ({ org: w.org.slug, enabled: true }) },
};

type AnyAction = (...args: unknown[]) => Promise<unknown>;

/** Every exported function of every file in actions/, as `<file>.<export>`: what Next makes callable from a browser. */
async function allActions(): Promise<Map<string, AnyAction>> {
  const dir = path.resolve(import.meta.dirname, "../../actions");
  const found = new Map<string, AnyAction>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) {
    const domain = file.replace(/\.ts$/, "");
    const exports = (await import(path.join(dir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === "function") found.set(`${domain}.${name}`, value as AnyAction);
    }
  }
  return found;
}

function outcomeOf(result: unknown): Outcome {
  const r = result as { ok?: boolean; code?: string } | undefined;
  if (r?.ok === true) return "ok";
  if (r?.ok === false && r.code) return r.code;
  return `unexpected result ${JSON.stringify(result)}`;
}

let world: World;
let actions: Map<string, AnyAction>;

beforeAll(async () => {
  await ensureCatalog();
  actions = await allActions();
  const org = await createOrg({ webhooksEnabled: true });
  const other = await createOrg({ webhooksEnabled: true });
  const otherOwner = await createMember(other.id, "OWNER");
  world = {
    org,
    other,
    users: {
      viewer: await createMember(org.id, "VIEWER"),
      admin: await createMember(org.id, "ADMIN"),
      owner: await createMember(org.id, "OWNER"),
      otherOwner,
      staff: await createUser({ isStaff: true }),
    },
    fixtureOwner: await createMember(org.id, "OWNER"),
    fixtureStaff: await createUser({ isStaff: true }),
  };
});

afterAll(async () => {
  // Operator endpoints hear about every organization on this shared database: none is left behind.
  const made = await db.endpoint.findMany({ where: { organizationId: PLATFORM_ORGANIZATION_ID, description: OPERATOR_MARK, deletedAt: null }, select: { id: true } });
  for (const { id } of made) await deleteEndpoint(PLATFORM_ORGANIZATION_ID, id, world.fixtureStaff);
});

describe("the role table of the server actions", () => {
  it("has a row for every exported action, and no row for an action that is gone", () => {
    const exported = [...actions.keys()];
    const missing = exported.filter((name) => !(name in TABLE) && !(name in OUTSIDE_THE_HELPER));
    const stale = [...Object.keys(TABLE), ...Object.keys(OUTSIDE_THE_HELPER)].filter((name) => !actions.has(name));
    expect(missing, `server actions without a row in the role table (tests/integration/action-roles.test.ts): ${missing.join(", ")}`).toEqual([]);
    expect(stale, `rows for actions that no longer exist: ${stale.join(", ")}`).toEqual([]);
    expect(exported.length).toBeGreaterThan(40);
  });

  for (const [name, row] of Object.entries(TABLE)) {
    it(name, async () => {
      const action = actions.get(name);
      if (!action) throw new Error(`${name} is not exported from actions/`);
      const expected: Record<string, Outcome | null> = {};
      const actual: Record<string, Outcome | null> = {};
      for (const caller of CALLERS) {
        const input = await row.input(world, caller);
        signInAs(world.users[caller].id);
        expected[caller] = row[caller];
        actual[caller] = outcomeOf(await action(input));
      }
      const probe = await row.input(world, "otherOwner");
      expect("org" in probe, "theirOrg is null exactly for actions whose input names no organization").toBe(row.theirOrg !== null);
      expected.theirOrg = row.theirOrg;
      if (row.theirOrg !== null) {
        signInAs(world.users.otherOwner.id);
        actual.theirOrg = outcomeOf(await action({ ...probe, org: world.other.slug }));
      } else {
        actual.theirOrg = null;
      }
      expect(actual).toEqual(expected);
    });
  }

  it("refuses a signed-out caller on every action written with defineAction", async () => {
    const notRefused: string[] = [];
    for (const [name, row] of Object.entries(TABLE)) {
      const input = await row.input(world, "owner");
      signInAs(null);
      const outcome = outcomeOf(await actions.get(name)!(input));
      if (outcome !== "unauthenticated") notRefused.push(`${name}: ${outcome}`);
    }
    expect(notRefused).toEqual([]);
  });
});
