import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { DEMO_ORG, seed } from "@/lib/seed";

describe("seed", () => {
  it("creates the demo organization and its owner, and a second run duplicates nothing", async () => {
    const email = `owner-${Date.now()}@acme.test`;
    const first = await seed(db, { adminEmail: email, adminPassword: "first-password" });
    const second = await seed(db, { adminEmail: email, adminPassword: "second-password" });
    expect(first.createdAdmin).toBe(true);
    expect(second.createdAdmin).toBe(false);

    const orgs = await db.organization.findMany({ where: { slug: DEMO_ORG.slug } });
    expect(orgs).toHaveLength(1);
    expect(orgs[0]!.name).toBe("Acme Cloud");
    const users = await db.user.findMany({ where: { email }, include: { memberships: true } });
    expect(users).toHaveLength(1);
    expect(users[0]!.memberships).toHaveLength(1);
    expect(users[0]!.memberships[0]!.role).toBe("OWNER");
    expect(users[0]!.isStaff).toBe(true);
    // The password chosen at first start is kept: a restart never resets it.
    expect(await bcrypt.compare("first-password", users[0]!.passwordHash)).toBe(true);
  });
});
