import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  createEndpointAction,
  deleteEndpointAction,
  revealEndpointHeadersAction,
  revealEndpointSecretAction,
  rotateEndpointSecretAction,
  setEndpointDisabledAction,
  updateEndpointAction,
} from "@/actions/endpoints";
import { db } from "@/lib/db";
import { getEndpoint, listEndpoints } from "@/lib/endpoints/endpoints";
import { activeSigningSecrets, openSecret, ROTATION_GRACE_MS } from "@/lib/endpoints/secrets";
import { rotateEndpointSecret } from "@/lib/endpoints/endpoints";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg } from "@/tests/helpers/factories";
import { createArchivedEventType, endpointInput, ensureCatalog, eventMark, publishedSince, refuseEventsOf, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";
import { captureLogs } from "@/tests/helpers/log-capture";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

setTestEncryptionKey();

beforeAll(async () => {
  await ensureCatalog();
});

async function adminOfNewOrg() {
  const org = await createOrg();
  const admin = await createMember(org.id, "ADMIN");
  signInAs(admin.id);
  return { org, admin };
}

async function createdEndpoint(org: string, overrides: Record<string, unknown> = {}) {
  const result = await createEndpointAction(endpointInput(org, overrides));
  if (!result.ok) throw new Error(`create failed: ${result.error}`);
  return result.data.id;
}

describe("create an endpoint", () => {
  it("stores the whole configuration, a whsec_ secret and a created audit entry", async () => {
    const { org, admin } = await adminOfNewOrg();
    const result = await createEndpointAction(
      endpointInput(org.slug, {
        eventTypes: ["offer.accepted", "contract.created"],
        rateLimit: "25",
        headers: [
          { name: "X-Api-Key", value: "k-123" },
          { name: "X-Team", value: "billing" },
        ],
      }),
    );
    expect(result).toMatchObject({ ok: true, data: { id: expect.stringMatching(/^ep_[0-9A-Za-z]{22}$/) } });
    const id = result.ok ? result.data.id : "";
    const stored = await getEndpoint(org.id, id);
    expect(stored).toMatchObject({
      url: "https://hooks.example.test/in",
      description: "Billing system",
      eventTypes: ["contract.created", "offer.accepted"],
      rateLimit: 25,
      headers: [
        { name: "X-Api-Key", value: "k-123" },
        { name: "X-Team", value: "billing" },
      ],
      disabled: false,
    });
    const [secret] = await activeSigningSecrets(id);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret!.slice(6), "base64")).toHaveLength(32);

    const audit = await db.auditLog.findMany({ where: { endpointId: id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "endpoint.created", actorId: admin.id, actorEmail: admin.email, organizationId: org.id });
    expect(audit[0]!.changes).toMatchObject({ rateLimit: { before: null, after: 25 }, url: { after: "https://hooks.example.test/in" } });
  });

  it("refuses an empty event type selection on the server, with the reason", async () => {
    const { org } = await adminOfNewOrg();
    const result = await createEndpointAction(endpointInput(org.slug, { eventTypes: [] }));
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { eventTypes: [expect.stringMatching(/new types added later never arrive unexpectedly/)] } });
    expect(await listEndpoints(org.id)).toEqual([]);
  });

  it("refuses unknown and archived event types", async () => {
    const { org } = await adminOfNewOrg();
    const archived = `legacy.gone_${Date.now()}`;
    await createArchivedEventType(archived);
    const result = await createEndpointAction(endpointInput(org.slug, { eventTypes: ["contract.created", "nope.missing", archived] }));
    expect(result).toMatchObject({ ok: false, code: "unknown_event_types", fieldErrors: { eventTypes: [expect.stringContaining(`${archived}, nope.missing`)] } });
  });

  it("returns field errors keyed by row for bad headers, URL and rate limit", async () => {
    const { org } = await adminOfNewOrg();
    const result = await createEndpointAction(
      endpointInput(org.slug, { url: "ftp://x", rateLimit: "0", headers: [{ name: "X-Ok", value: "1" }, { name: "Content-Type", value: "text/plain" }] }),
    );
    expect(result.ok).toBe(false);
    const fieldErrors = !result.ok ? result.fieldErrors ?? {} : {};
    expect(Object.keys(fieldErrors).sort()).toEqual(["headers.1.name", "rateLimit", "url"]);
  });
});

describe("roles", () => {
  it("lets a viewer change nothing: create, edit, disable, delete, rotate and reveal are refused", async () => {
    const { org } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    const owner = await createMember(org.id, "OWNER");
    signInAs(owner.id);
    await expect(createEndpointAction(endpointInput(org.slug))).resolves.toMatchObject({ ok: true });
    signInAs((await createMember(org.id, "VIEWER")).id);
    const ref = { org: org.slug, endpointId: id };
    const attempts = [
      createEndpointAction(endpointInput(org.slug)),
      updateEndpointAction({ ...endpointInput(org.slug, { description: "changed" }), endpointId: id }),
      setEndpointDisabledAction({ ...ref, disabled: true }),
      deleteEndpointAction(ref),
      rotateEndpointSecretAction(ref),
      revealEndpointSecretAction(ref),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(result).toMatchObject({ ok: false, code: "forbidden", error: expect.stringMatching(/Admin role/) });
    }
    expect(await listEndpoints(org.id)).toHaveLength(2);
    expect(await getEndpoint(org.id, id)).toMatchObject({ description: "Billing system", disabled: false });
    expect(await db.endpointSecret.count({ where: { endpointId: id } })).toBe(1);
  });

  it("hides endpoints of other organizations", async () => {
    const { org } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    const { org: other } = await adminOfNewOrg();
    await expect(setEndpointDisabledAction({ org: other.slug, endpointId: id, disabled: true })).resolves.toMatchObject({ ok: false, code: "not_found" });
    await expect(deleteEndpointAction({ org: other.slug, endpointId: id })).resolves.toMatchObject({ ok: false, code: "not_found" });
    signInAs(null);
    await expect(revealEndpointSecretAction({ org: org.slug, endpointId: id })).resolves.toMatchObject({ ok: false, code: "unauthenticated" });
  });
});

describe("edit an endpoint", () => {
  it("requires explicit confirmation to change the URL, then records a before/after diff", async () => {
    const { org } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    const edit = { ...endpointInput(org.slug, { url: "https://new.example.test/hooks", rateLimit: 100, eventTypes: ["contract.renewed"] }), endpointId: id };

    const refused = await updateEndpointAction(edit);
    expect(refused).toMatchObject({ ok: false, code: "url_change_unconfirmed", fieldErrors: { url: [expect.stringMatching(/Creating a new endpoint is recommended/)] } });
    expect((await getEndpoint(org.id, id))!.url).toBe("https://hooks.example.test/in");

    const accepted = await updateEndpointAction({ ...edit, confirmUrlChange: true });
    expect(accepted).toEqual({ ok: true, data: { changed: ["url", "eventTypes", "rateLimit"] } });
    expect(await getEndpoint(org.id, id)).toMatchObject({ url: "https://new.example.test/hooks", rateLimit: 100, eventTypes: ["contract.renewed"] });

    const entry = await db.auditLog.findFirstOrThrow({ where: { endpointId: id, action: "endpoint.updated" } });
    expect(entry.changes).toEqual({
      url: { before: "https://hooks.example.test/in", after: "https://new.example.test/hooks" },
      eventTypes: { before: ["contract.cancelled", "contract.created"], after: ["contract.renewed"] },
      rateLimit: { before: null, after: 100 },
    });
  });

  it("keeps an archived type the endpoint already had, but does not let it be added", async () => {
    const { org } = await adminOfNewOrg();
    const name = `legacy.kept_${Date.now()}`;
    const id = await createdEndpoint(org.slug);
    await db.endpoint.update({ where: { id }, data: { eventTypes: ["contract.created", name] } });
    await createArchivedEventType(name);
    const keep = await updateEndpointAction({ ...endpointInput(org.slug, { eventTypes: ["contract.created", name], description: "kept" }), endpointId: id });
    expect(keep).toMatchObject({ ok: true });
    const other = await createdEndpoint(org.slug);
    const add = await updateEndpointAction({ ...endpointInput(org.slug, { eventTypes: ["contract.created", name] }), endpointId: other });
    expect(add).toMatchObject({ ok: false, code: "unknown_event_types" });
  });

  it("records nothing when nothing changed", async () => {
    const { org } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    await expect(updateEndpointAction({ ...endpointInput(org.slug), endpointId: id })).resolves.toEqual({ ok: true, data: { changed: [] } });
    expect(await db.auditLog.count({ where: { endpointId: id } })).toBe(1);
  });
});

describe("custom header values", () => {
  it("are revealed to an admin, audited by header name, never by value", async () => {
    const { org } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug, { headers: [{ name: "X-Api-Key", value: "sk_reveal_4242" }, { name: "X-Team", value: "billing" }] });
    const revealed = await revealEndpointHeadersAction({ org: org.slug, endpointId: id });
    expect(revealed).toMatchObject({ ok: true, data: { headers: [{ name: "X-Api-Key", value: "sk_reveal_4242" }, { name: "X-Team", value: "billing" }] } });
    const entries = await db.auditLog.findMany({ where: { endpointId: id, action: "endpoint.headers_revealed" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.changes).toEqual({ headers: ["X-Api-Key", "X-Team"] });
    expect(JSON.stringify(await db.auditLog.findMany({ where: { endpointId: id } }))).not.toContain("sk_reveal_4242");
  });

  it("are not revealed, nor audited, for an endpoint of another organization", async () => {
    const other = await adminOfNewOrg();
    const id = await createdEndpoint(other.org.slug, { headers: [{ name: "X-Api-Key", value: "sk_other_4242" }] });
    const { org } = await adminOfNewOrg();
    expect(await revealEndpointHeadersAction({ org: org.slug, endpointId: id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await db.auditLog.count({ where: { endpointId: id, action: "endpoint.headers_revealed" } })).toBe(0);
  });
});

describe("signing secrets", () => {
  it("are encrypted at rest and decrypt only for their own endpoint", async () => {
    const { org } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    const revealed = await revealEndpointSecretAction({ org: org.slug, endpointId: id });
    expect(revealed).toMatchObject({ ok: true, data: { secret: expect.stringMatching(/^whsec_/) } });
    const secret = revealed.ok ? revealed.data.secret : "";
    const row = await db.endpointSecret.findFirstOrThrow({ where: { endpointId: id } });
    expect(row.ciphertext).toMatch(/^v1\./);
    expect(row.ciphertext).not.toContain(secret.slice(6, 20));
    expect(openSecret(id, row.ciphertext)).toBe(secret);
    expect(() => openSecret("ep_someoneElse0000000000", row.ciphertext)).toThrow(/failed authentication/);
    expect(await db.auditLog.count({ where: { endpointId: id, action: "endpoint.secret_revealed" } })).toBe(1);
  });

  it("rotation keeps the previous secret signing for 24 hours, newest first, then drops it", async () => {
    const { org, admin } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    const t0 = new Date("2030-01-01T00:00:00Z");
    const [original] = await activeSigningSecrets(id, t0);

    const rotated = await rotateEndpointSecret(org.id, id, admin, t0);
    expect(rotated).toEqual({ ok: true, previousExpiresAt: new Date(t0.getTime() + ROTATION_GRACE_MS) });
    const during = await activeSigningSecrets(id, new Date(t0.getTime() + ROTATION_GRACE_MS - 1000));
    expect(during).toHaveLength(2);
    expect(during[1]).toBe(original);
    expect(during[0]).not.toBe(original);
    expect(await activeSigningSecrets(id, new Date(t0.getTime() + ROTATION_GRACE_MS))).toEqual([during[0]]);

    const entry = await db.auditLog.findFirstOrThrow({ where: { endpointId: id, action: "endpoint.secret_rotated" } });
    expect(JSON.stringify(entry.changes)).not.toContain("whsec_");
  });

  it("a second rotation inside the window keeps the oldest secret's earlier expiry", async () => {
    const { org, admin } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    const t0 = new Date("2030-02-01T00:00:00Z");
    await rotateEndpointSecret(org.id, id, admin, t0);
    await rotateEndpointSecret(org.id, id, admin, new Date(t0.getTime() + 3600_000));
    expect(await activeSigningSecrets(id, new Date(t0.getTime() + 2 * 3600_000))).toHaveLength(3);
    expect(await activeSigningSecrets(id, new Date(t0.getTime() + ROTATION_GRACE_MS + 1000))).toHaveLength(2);
  });

  it("the rotate action returns when the previous secret stops signing", async () => {
    const { org } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    const before = Date.now();
    const result = await rotateEndpointSecretAction({ org: org.slug, endpointId: id });
    expect(result.ok).toBe(true);
    const expires = result.ok ? Date.parse(result.data.previousExpiresAt) : 0;
    expect(expires - before).toBeGreaterThanOrEqual(ROTATION_GRACE_MS);
    expect(expires - before).toBeLessThan(ROTATION_GRACE_MS + 60_000);
  });
});

describe("disable, enable and delete", () => {
  it("disabling publishes endpoint/disabled with the change, once, and enabling is audited", async () => {
    const { org } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    const mark = await eventMark();
    await expect(setEndpointDisabledAction({ org: org.slug, endpointId: id, disabled: true })).resolves.toEqual({ ok: true, data: { disabled: true } });
    expect((await getEndpoint(org.id, id))!.disabled).toBe(true);
    // Disabling again changes nothing and publishes nothing.
    await expect(setEndpointDisabledAction({ org: org.slug, endpointId: id, disabled: true })).resolves.toEqual({ ok: true, data: { disabled: true } });
    expect(await publishedSince(mark)).toEqual([expect.objectContaining({ name: "endpoint/disabled", data: { organizationId: org.id, endpointId: id } })]);

    await expect(setEndpointDisabledAction({ org: org.slug, endpointId: id, disabled: false })).resolves.toEqual({ ok: true, data: { disabled: false } });
    const actions = (await db.auditLog.findMany({ where: { endpointId: id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["endpoint.created", "endpoint.disabled", "endpoint.enabled"]);
  });

  it("delete soft-deletes, keeps the row and its audit trail, and publishes endpoint/deleted", async () => {
    const { org } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    const mark = await eventMark();
    await expect(deleteEndpointAction({ org: org.slug, endpointId: id })).resolves.toEqual({ ok: true, data: {} });
    expect(await getEndpoint(org.id, id)).toBeNull();
    expect(await listEndpoints(org.id)).toEqual([]);
    const row = await db.endpoint.findUniqueOrThrow({ where: { id } });
    expect(row.deletedAt).toBeInstanceOf(Date);
    expect(await publishedSince(mark)).toEqual([expect.objectContaining({ name: "endpoint/deleted", data: { organizationId: org.id, endpointId: id } })]);
    expect(await db.auditLog.findFirst({ where: { endpointId: id, action: "endpoint.deleted" } })).toMatchObject({ changes: { url: row.url } });
    await expect(deleteEndpointAction({ org: org.slug, endpointId: id })).resolves.toMatchObject({ ok: false, code: "not_found" });
  });

  it("the change and its cancel commit together: when the event cannot be stored, the endpoint stays enabled and its deliveries pending", async () => {
    const { org } = await adminOfNewOrg();
    const id = await createdEndpoint(org.slug);
    const undo = await refuseEventsOf(org.id);
    const logs = captureLogs();
    try {
      const result = await setEndpointDisabledAction({ org: org.slug, endpointId: id, disabled: true });
      expect(result).toMatchObject({ ok: false, code: "internal" });
      const deleted = await deleteEndpointAction({ org: org.slug, endpointId: id });
      expect(deleted).toMatchObject({ ok: false, code: "internal" });
      expect(logs.errors()).toContainEqual(expect.objectContaining({ msg: "[action] server action failed", error: expect.objectContaining({ message: expect.stringMatching(/the engine refused the event/) }) }));
    } finally {
      logs.restore();
      await undo();
    }
    expect(await getEndpoint(org.id, id)).toMatchObject({ disabled: false });
    const actions = (await db.auditLog.findMany({ where: { endpointId: id } })).map((a) => a.action);
    expect(actions).toEqual(["endpoint.created"]);
  });
});
