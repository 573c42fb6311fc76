import type { Role } from "@/lib/generated/prisma/enums";

export type { Role };

/** Higher ranks include every permission of lower ones. */
const RANK: Record<Role, number> = { VIEWER: 1, ADMIN: 2, OWNER: 3 };

export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

export const ROLE_LABEL: Record<Role, string> = { OWNER: "Owner", ADMIN: "Admin", VIEWER: "Viewer" };

/** Roles allowed to change an organization's webhook configuration. */
export const MANAGE_ROLE: Role = "ADMIN";
