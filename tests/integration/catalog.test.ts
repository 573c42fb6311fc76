import { describe, expect, it, vi } from "vitest";
import {
  createEventTypeAction,
  setEventTypeArchivedAction,
  updateEventTypeAction,
} from "@/actions/catalog";
import { getEventType, listEventTypes, seedCatalog } from "@/lib/catalog/event-types";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { db } from "@/lib/db";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg, createUser } from "@/tests/helpers/factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

const uniqueName = () => `invoice.paid_${Math.random().toString(36).slice(2, 8)}`;

const input = (name: string) => ({
  name,
  description: "An invoice was paid",
  deprecated: false,
  schema: JSON.stringify({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", required: ["amount"], properties: { amount: { type: "integer" } } }),
  examples: [{ name: "Paid", payload: '{"amount": 100}' }],
});

describe("seeding the catalog", () => {
  it("creates missing types only and keeps staff edits on the next start", async () => {
    await seedCatalog(db, SEED_CATALOG);
    await db.eventType.update({ where: { name: "buyer.updated" }, data: { description: "edited by staff" } });
    expect(await seedCatalog(db, SEED_CATALOG)).toEqual([]);
    expect((await getEventType("buyer.updated"))!.description).toBe("edited by staff");
    expect((await listEventTypes()).map((t) => t.name)).toEqual(expect.arrayContaining(SEED_CATALOG.map((e) => e.name)));
  });
});

describe("staff edit the catalog", () => {
  it("creates a type, parsed and grouped, and audits it", async () => {
    const staff = await createUser({ isStaff: true });
    signInAs(staff.id);
    const name = uniqueName();
    await expect(createEventTypeAction(input(name))).resolves.toEqual({ ok: true, data: { name } });
    const stored = await getEventType(name);
    expect(stored).toMatchObject({ group: "invoice", archived: false, examples: [{ name: "Paid", payload: { amount: 100 } }] });
    expect(await db.auditLog.findFirst({ where: { action: "event_type.created", actorId: staff.id } })).toMatchObject({ changes: { name } });
    await expect(createEventTypeAction(input(name))).resolves.toMatchObject({ ok: false, code: "name_taken", fieldErrors: { name: [expect.any(String)] } });
  });

  it("refuses an example that does not match, naming the failing path", async () => {
    signInAs((await createUser({ isStaff: true })).id);
    const result = await createEventTypeAction({ ...input(uniqueName()), examples: [{ name: "Bad", payload: '{"amount": "100"}' }] });
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { "examples.0.payload": ["Does not match the schema: /amount must be integer"] } });
  });

  it("edits description, deprecation, schema and examples; the name stays", async () => {
    signInAs((await createUser({ isStaff: true })).id);
    const name = uniqueName();
    await createEventTypeAction(input(name));
    const result = await updateEventTypeAction({ ...input(name), description: "Paid in full", deprecated: true });
    expect(result).toEqual({ ok: true, data: { name } });
    expect(await getEventType(name)).toMatchObject({ description: "Paid in full", deprecated: true });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "event_type.updated", changes: { path: ["name"], equals: name } } });
    expect(audit.changes).toMatchObject({ description: { before: "An invoice was paid", after: "Paid in full" }, deprecated: { before: false, after: true } });
    await expect(updateEventTypeAction(input(uniqueName()))).resolves.toMatchObject({ ok: false, code: "not_found" });
  });

  it("archiving hides a type from the listing but keeps it readable, and can be undone", async () => {
    signInAs((await createUser({ isStaff: true })).id);
    const name = uniqueName();
    await createEventTypeAction(input(name));
    await expect(setEventTypeArchivedAction({ name, archived: true })).resolves.toEqual({ ok: true, data: { archived: true } });
    expect((await listEventTypes()).map((t) => t.name)).not.toContain(name);
    expect((await listEventTypes({ includeArchived: true })).find((t) => t.name === name)).toMatchObject({ archived: true });
    expect(await getEventType(name)).toMatchObject({ archived: true, description: "An invoice was paid" });
    await setEventTypeArchivedAction({ name, archived: false });
    expect((await listEventTypes()).map((t) => t.name)).toContain(name);
  });

  it("refuses members who are not staff, even owners", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "OWNER")).id);
    const name = uniqueName();
    for (const result of [await createEventTypeAction(input(name)), await updateEventTypeAction(input(name)), await setEventTypeArchivedAction({ name, archived: true })]) {
      expect(result).toMatchObject({ ok: false, code: "forbidden", error: "Only platform staff can do this." });
    }
    expect(await getEventType(name)).toBeNull();
  });
});
