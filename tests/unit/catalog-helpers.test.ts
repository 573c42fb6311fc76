import { describe, expect, it } from "vitest";
import { groupByPrefix, groupOf, matchesSearch } from "@/lib/catalog/names";
import { deriveFields } from "@/lib/catalog/schema-fields";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { eventTypeSchema } from "@/lib/validations/catalog";
import { fieldErrorsByPath } from "@/lib/validations/field-errors";

describe("field table derived from a JSON Schema", () => {
  it("lists nested fields indented with type, required, enum, format and description", () => {
    const rows = deriveFields(SEED_CATALOG.find((e) => e.name === "contract.created")!.schema);
    const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));
    expect(byPath["contract"]).toMatchObject({ depth: 0, type: "object", required: true });
    expect(byPath["contract.status"]).toMatchObject({ depth: 1, type: "string", required: true, enumValues: ["pending", "active", "cancelled", "expired"] });
    expect(byPath["contract.buyer.email"]).toMatchObject({ depth: 2, required: false, format: "email", description: expect.stringContaining("Billing contact") });
    expect(byPath["contract.ends_at"]).toMatchObject({ type: "string | null", format: "date-time" });
    expect(byPath["contract.dimensions"]).toMatchObject({ type: "array of object" });
    expect(byPath["contract.dimensions[].quantity"]).toMatchObject({ depth: 2, type: "integer", required: true });
    expect(rows.indexOf(byPath["contract.buyer"]!)).toBeLessThan(rows.indexOf(byPath["contract.buyer.id"]!));
  });

  it("follows local $refs into $defs without looping on recursive ones", () => {
    const rows = deriveFields({
      type: "object",
      required: ["node"],
      $defs: { node: { type: "object", description: "A tree node", properties: { label: { type: "string" }, child: { $ref: "#/$defs/node" } } } },
      properties: { node: { $ref: "#/$defs/node" } },
    });
    expect(rows.map((r) => `${r.path}:${r.type}`)).toEqual(["node:object", "node.label:string", "node.child:object"]);
    expect(rows[0]).toMatchObject({ required: true, description: "A tree node" });
  });

  it("returns no rows for a non-object schema", () => {
    expect(deriveFields(null)).toEqual([]);
  });
});

describe("grouping and search", () => {
  const items = [
    { name: "offer.created", description: "A private offer was extended" },
    { name: "contract.renewed", description: "Renewed for a new term" },
    { name: "contract.created", description: "A buyer subscribed" },
  ];

  it("groups by the prefix, sorted", () => {
    expect(groupOf("metering.usage_reported")).toBe("metering");
    expect(groupByPrefix(items).map((g) => [g.group, g.items.map((i) => i.name)])).toEqual([
      ["contract", ["contract.created", "contract.renewed"]],
      ["offer", ["offer.created"]],
    ]);
  });

  it("matches name or description, case-insensitively", () => {
    expect(items.filter((i) => matchesSearch(i, "RENEW")).map((i) => i.name)).toEqual(["contract.renewed"]);
    expect(items.filter((i) => matchesSearch(i, "private")).map((i) => i.name)).toEqual(["offer.created"]);
    expect(items.filter((i) => matchesSearch(i, "  ")).length).toBe(3);
  });
});

describe("event type form rules", () => {
  const valid = {
    name: "invoice.paid",
    description: "An invoice was paid",
    deprecated: false,
    schema: JSON.stringify({ type: "object", required: ["amount"], properties: { amount: { type: "integer", minimum: 0 }, paid_at: { type: "string", format: "date-time" } } }),
    examples: [{ name: "Paid", payload: '{"amount": 100, "paid_at": "2026-01-01T00:00:00Z"}' }],
  };

  it("parses JSON text from the form into objects", () => {
    const parsed = eventTypeSchema.parse(valid);
    expect(parsed.schema).toMatchObject({ type: "object" });
    expect(parsed.examples[0]!.payload).toEqual({ amount: 100, paid_at: "2026-01-01T00:00:00Z" });
  });

  it("points at the exact failing path of an example", () => {
    const result = eventTypeSchema.safeParse({ ...valid, examples: [valid.examples[0], { name: "Bad", payload: '{"paid_at": "yesterday"}' }] });
    expect(fieldErrorsByPath(result.error!)).toEqual({
      "examples.1.payload": ['Does not match the schema: /amount is required; /paid_at must match format "date-time"'],
    });
  });

  it("reports a schema that does not compile", () => {
    const result = eventTypeSchema.safeParse({ ...valid, schema: '{"type": "object", "properties": {"a": {"type": "strin"}}}' });
    expect(fieldErrorsByPath(result.error!).schema![0]).toMatch(/^The schema does not compile: /);
    const typo = eventTypeSchema.safeParse({ ...valid, schema: '{"type": "object", "requird": ["a"]}' });
    expect(fieldErrorsByPath(typo.error!).schema![0]).toMatch(/unknown keyword: "requird"/);
  });

  it("reports invalid JSON, a non-object root and bad names", () => {
    expect(fieldErrorsByPath(eventTypeSchema.safeParse({ ...valid, schema: "{type:" }).error!).schema![0]).toMatch(/^Schema is not valid JSON/);
    expect(fieldErrorsByPath(eventTypeSchema.safeParse({ ...valid, schema: '{"type": "array"}' }).error!).schema![0]).toMatch(/"type": "object"/);
    expect(fieldErrorsByPath(eventTypeSchema.safeParse({ ...valid, name: "Invoice" }).error!).name![0]).toMatch(/lowercase dotted/);
    expect(fieldErrorsByPath(eventTypeSchema.safeParse({ ...valid, examples: [] }).error!).examples).toEqual(["Add at least one example payload"]);
  });
});
