import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as healthRoute from "@/app/api/v1/health/route";
import * as messagesRoute from "@/app/api/v1/app/[app_id]/msg/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { createApiKey } from "@/lib/api-keys/manage";
import { listQuery } from "@/lib/api/v1/schemas";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { defaultAgents } from "@/lib/delivery/attempt";
import { ids } from "@/lib/ids";
import { createPortalAccess } from "@/lib/portal/access";
import { endpointConfigSchema, endpointUidSchema } from "@/lib/validations/endpoint";
import { eventIdSchema } from "@/lib/validations/message";
import { callRoute } from "@/tests/helpers/api-v1";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { createOrg, createUser } from "@/tests/helpers/factories";
import { ensureCatalog, refuseEventsOf, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";
import { captureLogs } from "@/tests/helpers/log-capture";

/**
 * Claims of README.md and docs/api.md, docs/portal.md, docs/delivery.md that no other test held as
 * written: what is stored of a key or a link, the 401's challenge, a 500 that says nothing of its
 * cause, the calls that need no key, the list limits, the connection pool per origin.
 */

setTestEncryptionKey();
beforeAll(async () => {
  await ensureCatalog();
});

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("docs/api.md: keys are stored as a SHA-256 only; docs/portal.md: only a link token's SHA-256 is stored", () => {
  it("keeps the SHA-256 of an API key and no copy of the key", async () => {
    const org = await createOrg();
    const user = await createUser();
    const { key, summary } = await createApiKey({ name: "claims", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: summary.id } });
    expect(row.hash).toBe(sha256(key));
    expect(JSON.stringify(row)).not.toContain(key);
  });

  it("keeps the SHA-256 of a portal token and no copy of the token", async () => {
    const org = await createOrg();
    const user = await createUser();
    const created = await createPortalAccess({ organizationId: org.id, readOnly: false }, { id: user.id, email: user.email });
    if (!created.ok) throw new Error(created.message);
    const row = await db.portalAccess.findUniqueOrThrow({ where: { tokenHash: sha256(created.token) } });
    expect(JSON.stringify(row)).not.toContain(created.token);
  });
});

describe("docs/api.md: errors", () => {
  it("answers 401 with www-authenticate: Bearer when the key is missing or unknown", async () => {
    const org = await createOrg();
    for (const key of [undefined, "hr_org_unknown"]) {
      const response = await callRoute(messagesRoute, "POST", `/api/v1/app/${org.slug}/msg`, key, contractCreated());
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(((await response.json()) as { code: string }).code).toBe("unauthorized");
    }
  });

  it("answers 500 internal with nothing about the cause, which is logged", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    const user = await createUser();
    const { key } = await createApiKey({ name: "claims", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
    const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: "http://127.0.0.1:9/claims", eventTypes: ["contract.created"], rateLimit: "" }), { id: user.id, email: user.email });
    if (!created.ok) throw new Error(created.message);
    const undo = await refuseEventsOf(org.id);
    const logs = captureLogs();
    try {
      const response = await callRoute(messagesRoute, "POST", `/api/v1/app/${org.slug}/msg`, key, contractCreated());
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toMatchObject({ code: "internal" });
      // The cause (the database's exception) is in the server's log, not in the answer.
      expect(logs.errors()).toContainEqual(expect.objectContaining({ error: expect.objectContaining({ message: expect.stringMatching(/the engine refused the event/) }) }));
      expect(text).not.toMatch(/engine|refused|executor_events|trigger|exception|stack|at \//i);
    } finally {
      logs.restore();
      await undo();
    }
  });
});

describe("docs/api.md: health and the OpenAPI document need no key", () => {
  it("answers both without an Authorization header", async () => {
    expect((await callRoute(healthRoute, "GET", "/api/v1/health")).status).toBe(204);
    const document = await callRoute(openapiRoute, "GET", "/api/v1/openapi.json");
    expect(document.status).toBe(200);
    expect(((await document.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});

describe("docs/api.md: lists take limit 1–250, default 50", () => {
  it("defaults to 50, takes 1 and 250, and refuses 0 and 251 at query.limit", () => {
    expect(listQuery.parse({}).limit).toBe(50);
    expect(listQuery.parse({ limit: "1" }).limit).toBe(1);
    expect(listQuery.parse({ limit: "250" }).limit).toBe(250);
    expect(listQuery.safeParse({ limit: "0" }).success).toBe(false);
    expect(listQuery.safeParse({ limit: "251" }).success).toBe(false);
  });

  it("is what a list answers: a page of 50 without limit", async () => {
    const org = await createOrg();
    const user = await createUser();
    const { key } = await createApiKey({ name: "claims", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
    const rows = Array.from({ length: 51 }, (_, i) => ({ organizationId: org.id, eventType: "contract.created", body: "{}", createdAt: new Date(Date.now() - i * 1000) }));
    await db.message.createMany({ data: rows.map((row) => ({ ...row, id: ids.message.generate() })) });
    const page = (await (await callRoute(messagesRoute, "GET", `/api/v1/app/${org.slug}/msg`, key)).json()) as { data: unknown[]; done: boolean };
    expect(page.data).toHaveLength(50);
    expect(page.done).toBe(false);
  });
});

describe("docs/delivery.md: connections are kept alive and shared per origin, 50 sockets per origin", () => {
  it("configures the delivery agents that way", () => {
    const agents = defaultAgents();
    for (const agent of [agents.http, agents.https]) {
      expect(agent.maxSockets).toBe(50);
      expect((agent as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
    }
  });
});

describe("docs/api.md: eventId is printable ASCII without spaces; an endpoint uid is letters, digits, -, _, . up to 256, not starting with ep_", () => {
  it("takes an eventId of 256 printable characters and refuses 257, a space and a non-ASCII character", () => {
    expect(eventIdSchema.safeParse("!~".repeat(128)).success).toBe(true);
    expect(eventIdSchema.safeParse("e".repeat(257)).success).toBe(false);
    expect(eventIdSchema.safeParse("evt 1").success).toBe(false);
    expect(eventIdSchema.safeParse("évt-1").success).toBe(false);
  });

  it("takes a uid of 256 characters and refuses 257, other characters and the ep_ prefix", () => {
    expect(endpointUidSchema.safeParse(`a-b_c.D9${"x".repeat(248)}`).success).toBe(true);
    expect(endpointUidSchema.safeParse("x".repeat(257)).success).toBe(false);
    for (const uid of ["has space", "a/b", "a:b", "ep_main"]) expect(endpointUidSchema.safeParse(uid).success, uid).toBe(false);
  });
});
