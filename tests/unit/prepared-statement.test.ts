import { describe, expect, it } from "vitest";
import { preparedStatement } from "@/lib/db/prepared";
import { Prisma } from "@/lib/generated/prisma/client";

describe("a statement composed once and bound by name", () => {
  it("numbers the parameters of every fragment in order and binds each by its name, as often as it appears", () => {
    const where = (p: { org: unknown }) => Prisma.sql`"organizationId" = ${p.org}`;
    const statement = preparedStatement<"id" | "org" | "at">("test", (p) => Prisma.sql`INSERT INTO t (id, org, at) SELECT ${p.id}, ${p.org}, ${p.at} WHERE ${where(p)}`);
    expect(statement.text).toBe(`INSERT INTO t (id, org, at) SELECT $1, $2, $3 WHERE "organizationId" = $4`);
    expect(statement.bind({ id: "a", org: "o", at: 7 })).toEqual({ name: "test", text: statement.text, values: ["a", "o", 7, "o"] });
    expect(statement.values({ id: "b", org: "p", at: null })).toEqual(["b", "p", null, "p"]);
  });

  it("refuses a value that is not a named parameter, since it would be bound once for every call", () => {
    expect(() => preparedStatement<"id">("test", (p) => Prisma.sql`SELECT ${p.id}, ${"constant"}`)).toThrow(/every value must be a named parameter, found "constant"/);
  });
});
