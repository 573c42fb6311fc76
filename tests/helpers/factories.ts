import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { db } from "@/lib/db";
import type { Role } from "@/lib/auth/roles";

export const TEST_PASSWORD = "correct horse battery";
// Low cost: these accounts exist only for the test run.
const PASSWORD_HASH = bcrypt.hashSync(TEST_PASSWORD, 4);

export function uniqueSlug(prefix = "org") {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createOrg(overrides: { name?: string; slug?: string; webhooksEnabled?: boolean } = {}) {
  const slug = overrides.slug ?? uniqueSlug();
  return db.organization.create({ data: { name: overrides.name ?? `Org ${slug}`, slug, webhooksEnabled: overrides.webhooksEnabled ?? false } });
}

export async function createUser(overrides: { email?: string; isStaff?: boolean } = {}) {
  return db.user.create({
    data: {
      email: overrides.email ?? `${randomUUID().slice(0, 8)}@example.test`,
      passwordHash: PASSWORD_HASH,
      isStaff: overrides.isStaff ?? false,
    },
  });
}

export async function createMember(orgId: string, role: Role, overrides: { isStaff?: boolean } = {}) {
  const user = await createUser(overrides);
  await db.membership.create({ data: { userId: user.id, organizationId: orgId, role } });
  return user;
}
