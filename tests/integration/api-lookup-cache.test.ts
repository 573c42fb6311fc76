import { describe, expect, it } from "vitest";
import { apiKeyCache } from "@/lib/api-keys/cache";
import { createApiKey } from "@/lib/api-keys/manage";
import { authenticateApiKey } from "@/lib/api/authenticate";
import { findOrganization, organizationCache } from "@/lib/organizations/cache";
import { handleOperation } from "@/lib/api/v1/handle";
import { operations } from "@/lib/api/v1/registry";
import { db } from "@/lib/db";
import { waitFor } from "@/tests/helpers/executor-harness";
import { createOrg, createUser } from "@/tests/helpers/factories";

/**
 * The API's per-process caches of keys and organizations. Changes are written here straight to
 * the database, as another process (another app instance, psql) would: only the triggers'
 * notifications can tell this process's caches.
 */
describe("API key and organization caches", () => {
  it("serve a key from memory, and refuse it once another process revoked it", async () => {
    await apiKeyCache.start();
    const org = await createOrg();
    const user = await createUser();
    const { key, summary } = await createApiKey({ name: "cached", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
    const bearer = `Bearer ${key}`;
    expect(await authenticateApiKey(bearer)).toMatchObject({ ok: true, principal: { keyId: summary.id } });
    // Served from memory: with the trigger off, a lookup by hash in the database would now miss.
    const hash = (await db.apiKey.findUniqueOrThrow({ where: { id: summary.id } })).hash;
    await db.$executeRaw`ALTER TABLE "ApiKey" DISABLE TRIGGER "ApiKey_changed"`;
    try {
      await db.apiKey.update({ where: { id: summary.id }, data: { hash: `${hash}-moved` } });
      expect(await authenticateApiKey(bearer)).toMatchObject({ ok: true });
      await db.apiKey.update({ where: { id: summary.id }, data: { hash } });
    } finally {
      await db.$executeRaw`ALTER TABLE "ApiKey" ENABLE TRIGGER "ApiKey_changed"`;
    }

    await db.apiKey.update({ where: { id: summary.id }, data: { revokedAt: new Date() } });
    const refused = await waitFor("the revocation to reach the cache", async () => {
      const result = await authenticateApiKey(bearer);
      return result.ok ? undefined : result;
    }, 5_000);
    expect(refused).toEqual({ ok: false, message: "The API key was revoked." });
  });

  it("see webhooks disabled and slugs renamed by another process", async () => {
    await organizationCache.start();
    const org = await createOrg({ webhooksEnabled: true });
    expect(await findOrganization(org.slug)).toEqual({ id: org.id, slug: org.slug, webhooksEnabled: true, disabledAt: null, portalOrigins: [] });
    await db.organization.update({ where: { id: org.id }, data: { webhooksEnabled: false } });
    await waitFor("webhooks disabled in the cache", async () => (await findOrganization(org.slug))?.webhooksEnabled === false || undefined, 5_000);
    await db.organization.update({ where: { id: org.id }, data: { slug: `${org.slug}-renamed` } });
    await waitFor("the old slug to be gone", async () => ((await findOrganization(org.slug)) === null ? true : undefined), 5_000);
    expect(await findOrganization(`${org.slug}-renamed`)).toMatchObject({ id: org.id });
  });

  it("refuse an organization key once another process disabled its organization, checking from memory on every call", async () => {
    await organizationCache.start();
    await apiKeyCache.start();
    const org = await createOrg();
    const user = await createUser();
    const { key } = await createApiKey({ name: "org", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
    const op = operations.find((o) => o.method === "GET" && o.path === "/api/v1/app/{app_id}/endpoint")!;
    const list = async () => (await handleOperation(op, new Request(`http://127.0.0.1/api/v1/app/${org.slug}/endpoint`, { headers: { authorization: `Bearer ${key}` } }), { app_id: org.slug })).status;
    expect(await list()).toBe(200);
    // Served from memory: with the trigger off, a disable written to the database is not seen.
    await db.$executeRaw`ALTER TABLE "Organization" DISABLE TRIGGER "Organization_changed"`;
    try {
      await db.organization.update({ where: { id: org.id }, data: { disabledAt: new Date() } });
      expect(await list()).toBe(200);
      await db.organization.update({ where: { id: org.id }, data: { disabledAt: null } });
    } finally {
      await db.$executeRaw`ALTER TABLE "Organization" ENABLE TRIGGER "Organization_changed"`;
    }
    await db.organization.update({ where: { id: org.id }, data: { disabledAt: new Date() } });
    await waitFor("the disable to reach the cache", async () => ((await list()) === 403 ? true : undefined), 5_000);
  });
});
