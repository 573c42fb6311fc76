import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { createPrismaClient, db } from "@/lib/db";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { DEMO_ORG, seed } from "@/lib/seed";
import { setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

setTestEncryptionKey();

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

  it("gives the demo organization a test receiver and one endpoint to it, created once", async () => {
    const email = `owner-${Date.now()}-b@acme.test`;
    await seed(db, { adminEmail: email, adminPassword: "first-password", appUrl: "http://127.0.0.1:3999" });
    await seed(db, { adminEmail: email, adminPassword: "first-password", appUrl: "http://127.0.0.1:3999" });
    const org = await db.organization.findUniqueOrThrow({ where: { slug: DEMO_ORG.slug } });
    const receivers = await db.testReceiver.findMany({ where: { organizationId: org.id, name: "Demo receiver" } });
    expect(receivers).toHaveLength(1);
    const endpoints = await db.endpoint.findMany({ where: { organizationId: org.id, url: `http://127.0.0.1:3999/test-receiver/${receivers[0]!.token}` } });
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]!.eventTypes).toContain("contract.created");
    expect(await activeSigningSecrets(endpoints[0]!.id)).toEqual([expect.stringMatching(/^whsec_/)]);
  });

  it("takes turns when two instances seed at once: both succeed and nothing is created twice", async () => {
    const email = `owner-${Date.now()}-c@acme.test`;
    // Two connection pools, as two `npm start` processes on one DATABASE_URL have.
    const clients = [createPrismaClient(process.env.DATABASE_URL!), createPrismaClient(process.env.DATABASE_URL!)];
    try {
      const results = await Promise.all(clients.map((client) => seed(client, { adminEmail: email, adminPassword: "first-password" })));
      expect(results.map((r) => r.createdAdmin).sort()).toEqual([false, true]);
      expect(await db.user.count({ where: { email } })).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.$disconnect()));
    }
  });
});
