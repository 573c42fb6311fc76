import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The delivery store (lib/delivery/store/) is the one writer of deliveries and attempts: every
 * insert and status change goes through it, so their states have one owner. This reads the
 * product's source (not tests, which set up history directly) and fails on any other file that
 * writes either table, in SQL or through Prisma.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const PRODUCT = ["actions", "app", "components", "inngest", "lib", "scripts", "bench", "prisma", "proxy.ts", "auth.ts", "auth.config.ts"];
const STORE = "lib/delivery/store/";
const SKIP = new Set(["node_modules", "generated", "migrations"]);

const WRITES = [
  // SQL: INSERT INTO "Delivery", update "Attempt" a, DELETE FROM "Delivery" ... (the tables' names need their quotes)
  /\b(insert\s+into|update|delete\s+from)\s+"(Delivery|Attempt)"/i,
  // Prisma: db.delivery.update(...), tx.attempt.createMany(...), client.delivery.upsert(...)
  /\.(delivery|attempt)\s*\.\s*(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)\s*\(/,
];

function sources(entry: string): string[] {
  const full = path.join(ROOT, entry);
  let names: string[];
  try {
    names = readdirSync(full);
  } catch {
    return /\.(ts|tsx|mjs)$/.test(entry) ? [entry] : [];
  }
  return names.filter((n) => !SKIP.has(n)).flatMap((n) => sources(path.join(entry, n)));
}

function writersOf(files: { file: string; text: string }[]): string[] {
  return files.flatMap(({ file, text }) =>
    text.split("\n").flatMap((line, i) => (WRITES.some((w) => w.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe("the delivery store owns deliveries and attempts", () => {
  const files = PRODUCT.flatMap(sources).map((file) => ({ file: file.split(path.sep).join("/"), text: readFileSync(path.join(ROOT, file), "utf8") }));

  it("reads the product's source", () => {
    expect(files.some((f) => f.file === "lib/messages/send-event.ts")).toBe(true);
    expect(files.some((f) => f.file.startsWith(STORE))).toBe(true);
  });

  it("finds the writes where they are: in the store", () => {
    const inStore = writersOf(files.filter((f) => f.file.startsWith(STORE)));
    for (const kind of [/INSERT INTO "Delivery"/, /UPDATE "Delivery"/, /INSERT INTO "Attempt"/, /\.delivery\.updateMany\(/]) {
      expect(inStore.some((w) => kind.test(w)), `the store has no ${kind}`).toBe(true);
    }
  });

  it("finds no write outside it", () => {
    expect(writersOf(files.filter((f) => !f.file.startsWith(STORE)))).toEqual([]);
  });

  it("would catch each way of writing", () => {
    const planted = [
      'await db.$executeRaw`UPDATE "Delivery" SET status = \'FAILED\'`;',
      "INSERT INTO \"Attempt\" (id) VALUES ($1)",
      'delete from "Delivery" where id = $1',
      "await tx.delivery.update({ where: { id } });",
      "await db.attempt.createMany({ data });",
      "await client.delivery . upsert({})",
    ];
    expect(writersOf(planted.map((text, i) => ({ file: `planted-${i}.ts`, text })))).toHaveLength(planted.length);
    // Reading is not writing.
    expect(writersOf([{ file: "read.ts", text: 'db.delivery.findMany({}); SELECT * FROM "Delivery" d JOIN "Attempt" a' }])).toEqual([]);
  });
});
