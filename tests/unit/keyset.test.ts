import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor, keysetClauses, keysetPlan, toPage, type Cursor, type SortOrder } from "@/lib/db/keyset";

interface Row {
  id: string;
  at: Date;
}

// 7 rows; two share a timestamp so the id has to break the tie.
const ROWS: Row[] = ["a", "b", "c", "d", "e", "f", "g"].map((id, i) => ({ id, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i === 4 ? 3 : i)) }));

function compare(x: Row, y: Row) {
  return x.at.getTime() - y.at.getTime() || x.id.localeCompare(y.id);
}

/** The query a database would run for the plan, written over an array. */
function fetchPage(order: SortOrder, cursor: Cursor | null, pageSize: number) {
  const plan = keysetPlan(cursor ?? undefined, pageSize, order);
  const sign = plan.scanOrder === "asc" ? 1 : -1;
  const beyond = plan.beyond;
  const rows = [...ROWS]
    .sort((x, y) => sign * compare(x, y))
    .filter((r) => !beyond || (beyond.op === "gt" ? compare(r, beyond) > 0 : compare(r, beyond) < 0))
    .slice(0, plan.take);
  return toPage(rows, (r) => r, cursor ?? undefined, pageSize);
}

const T = new Date("2026-11-30T23:53:38.120Z");
const base64Json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("keyset cursors", () => {
  it("round-trip through an opaque string", () => {
    const cursor: Cursor = { direction: "prev", at: T, id: "run_1" };
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it("read anything malformed as no cursor", () => {
    expect(decodeCursor(undefined)).toBeNull();
    expect(decodeCursor("")).toBeNull();
    expect(decodeCursor("not-base64-json")).toBeNull();
    expect(decodeCursor(base64Json({ d: "sideways", t: "2026-01-01T00:00:00Z", id: "x" }))).toBeNull();
    expect(decodeCursor(base64Json({ d: "n", t: 1e20, i: "x" }))).toBeNull();
    expect(decodeCursor(base64Json({ d: "after", t: "yesterday", id: "x" }))).toBeNull();
    expect(decodeCursor("x".repeat(600))).toBeNull();
  });

  // API clients store iterators and people bookmark page links: these strings were handed out.
  it("keep the wire format of the iterators and page links already handed out", () => {
    const next = "eyJkIjoibiIsInQiOjE3OTYwODI4MTgxMjAsImkiOiJtc2dfMkFiIn0";
    const prev = "eyJkIjoicCIsInQiOjE3OTYwODI4MTgxMjAsImkiOiJtc2dfMkFiIn0";
    expect(decodeCursor(next)).toEqual({ direction: "next", at: T, id: "msg_2Ab" });
    expect(decodeCursor(prev)).toEqual({ direction: "prev", at: T, id: "msg_2Ab" });
    expect(encodeCursor({ direction: "next", at: T, id: "msg_2Ab" })).toBe(next);
  });

  it("read the Jobs page's former cursors ({d: after | before, t: ISO, id}) as the same position and direction", () => {
    expect(decodeCursor("eyJkIjoiYWZ0ZXIiLCJ0IjoiMjAyNi0xMS0zMFQyMzo1MzozOC4xMjBaIiwiaWQiOiJydW5fMSJ9")).toEqual({ direction: "next", at: T, id: "run_1" });
    expect(decodeCursor("eyJkIjoiYmVmb3JlIiwidCI6IjIwMjYtMTEtMzBUMjM6NTM6MzguMTIwWiIsImlkIjoicnVuXzEifQ")).toEqual({ direction: "prev", at: T, id: "run_1" });
  });
});

describe("keyset pages", () => {
  for (const order of ["desc", "asc"] as const) {
    it(`walk every row once forwards and back again (${order})`, () => {
      const seen: string[][] = [];
      let page = fetchPage(order, null, 3);
      expect(page.prevCursor).toBeNull();
      seen.push(page.items.map((r) => r.id));
      while (page.nextCursor) {
        page = fetchPage(order, decodeCursor(page.nextCursor), 3);
        seen.push(page.items.map((r) => r.id));
      }
      const expected = [...ROWS].sort((x, y) => (order === "asc" ? 1 : -1) * compare(x, y)).map((r) => r.id);
      expect(seen.flat()).toEqual(expected);
      expect(seen.map((p) => p.length)).toEqual([3, 3, 1]);

      const back: string[][] = [];
      while (page.prevCursor) {
        page = fetchPage(order, decodeCursor(page.prevCursor), 3);
        back.unshift(page.items.map((r) => r.id));
      }
      expect(back).toEqual(seen.slice(0, -1));
      expect(page.prevCursor).toBeNull();
      expect(page.nextCursor).not.toBeNull();
    });

    it(`open the same page from a former Jobs cursor as from today's (${order})`, () => {
      const row = ROWS[3]!;
      for (const [old, direction] of [["after", "next"], ["before", "prev"]] as const) {
        const former = decodeCursor(base64Json({ d: old, t: row.at.toISOString(), id: row.id }));
        expect(fetchPage(order, former, 2).items).toEqual(fetchPage(order, { direction, ...row }, 2).items);
      }
    });
  }

  it("has no next page when the rows fit exactly", () => {
    expect(fetchPage("desc", null, 7)).toMatchObject({ nextCursor: null, prevCursor: null });
  });
});

describe("keyset SQL", () => {
  const clauses = (cursor: Cursor | undefined) => {
    const { where, order, limit } = keysetClauses(Prisma.sql`m."createdAt"`, Prisma.sql`m.id`, cursor, 50);
    return { where: where.sql, values: where.values, order: order.sql, limit: limit.values };
  };

  it("reads the first page newest first, one row more than a page", () => {
    expect(clauses(undefined)).toEqual({ where: "", values: [], order: 'ORDER BY m."createdAt" DESC, m.id DESC', limit: [51] });
  });

  it("reads older rows below the position and newer rows above it, backwards", () => {
    expect(clauses({ direction: "next", at: T, id: "msg_1" })).toMatchObject({ where: 'AND (m."createdAt", m.id) < (?, ?)', values: [T, "msg_1"], order: 'ORDER BY m."createdAt" DESC, m.id DESC' });
    expect(clauses({ direction: "prev", at: T, id: "msg_1" })).toMatchObject({ where: 'AND (m."createdAt", m.id) > (?, ?)', values: [T, "msg_1"], order: 'ORDER BY m."createdAt" ASC, m.id ASC' });
  });
});
