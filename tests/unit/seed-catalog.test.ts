import { describe, expect, it } from "vitest";
import { compileSchema, validatePayload } from "@/lib/catalog/ajv";
import { groupOf } from "@/lib/catalog/names";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { eventTypeSchema } from "@/lib/validations/catalog";

describe("seeded marketplace catalog", () => {
  it("has at least 12 uniquely named types across listing, contract, offer, buyer and metering", () => {
    expect(SEED_CATALOG.length).toBeGreaterThanOrEqual(12);
    expect(new Set(SEED_CATALOG.map((e) => e.name)).size).toBe(SEED_CATALOG.length);
    expect(new Set(SEED_CATALOG.map((e) => groupOf(e.name)))).toEqual(new Set(["listing", "contract", "offer", "buyer", "metering"]));
    for (const name of ["contract.created", "contract.modified", "contract.cancelled", "contract.renewed"]) {
      expect(SEED_CATALOG.map((e) => e.name)).toContain(name);
    }
  });

  it.each(SEED_CATALOG.map((e) => [e.name, e] as const))("%s: the schema compiles with Ajv 2020 and every example validates", (_name, entry) => {
    expect(entry.schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const compiled = compileSchema(entry.schema);
    if (!compiled.ok) throw new Error(compiled.error);
    expect(entry.examples.length).toBeGreaterThan(0);
    for (const example of entry.examples) expect(validatePayload(compiled.validate, example.payload)).toEqual([]);
    expect(eventTypeSchema.safeParse({ ...entry, deprecated: entry.deprecated ?? false }).success).toBe(true);
  });

  it("uses nested objects, enums, formats and required fields", () => {
    const text = JSON.stringify(SEED_CATALOG.map((e) => e.schema));
    for (const keyword of ['"enum"', '"format":"date-time"', '"format":"email"', '"required"', '"items"']) expect(text).toContain(keyword);
  });

  it("rejects an example that breaks its schema, so the seed test above can fail", () => {
    const entry = SEED_CATALOG.find((e) => e.name === "contract.created")!;
    const compiled = compileSchema(entry.schema);
    if (!compiled.ok) throw new Error(compiled.error);
    const broken = structuredClone(entry.examples[0]!.payload) as { contract: { buyer: { email: string } } };
    broken.contract.buyer.email = "not-an-email";
    expect(validatePayload(compiled.validate, broken)).toEqual([{ path: "/contract/buyer/email", message: 'must match format "email"' }]);
  });
});
