import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, keysetPage, keysetPlan, type Cursor, type SortOrder } from "@/lib/pagination/keyset";

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
  const plan = keysetPlan(cursor, order, pageSize);
  const sign = plan.scanOrder === "asc" ? 1 : -1;
  const beyond = plan.beyond;
  const rows = [...ROWS]
    .sort((x, y) => sign * compare(x, y))
    .filter((r) => !beyond || (beyond.op === "gt" ? compare(r, beyond) > 0 : compare(r, beyond) < 0))
    .slice(0, plan.take);
  return keysetPage(rows, cursor, pageSize, (r) => r);
}

describe("keyset cursors", () => {
  it("round-trip through an opaque string", () => {
    const cursor: Cursor = { direction: "before", at: new Date("2026-11-30T23:53:38.120Z"), id: "run_1" };
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it("read anything malformed as the first page", () => {
    expect(decodeCursor(undefined)).toBeNull();
    expect(decodeCursor("not-base64-json")).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify({ d: "sideways", t: "2026-01-01T00:00:00Z", id: "x" })).toString("base64url"))).toBeNull();
    expect(decodeCursor("x".repeat(600))).toBeNull();
  });
});

describe("keyset pages", () => {
  for (const order of ["desc", "asc"] as const) {
    it(`walk every row once forwards and back again (${order})`, () => {
      const seen: string[][] = [];
      let page = fetchPage(order, null, 3);
      expect(page.prevCursor).toBeNull();
      seen.push(page.rows.map((r) => r.id));
      while (page.nextCursor) {
        page = fetchPage(order, decodeCursor(page.nextCursor), 3);
        seen.push(page.rows.map((r) => r.id));
      }
      const expected = [...ROWS].sort((x, y) => (order === "asc" ? 1 : -1) * compare(x, y)).map((r) => r.id);
      expect(seen.flat()).toEqual(expected);
      expect(seen.map((p) => p.length)).toEqual([3, 3, 1]);

      const back: string[][] = [];
      while (page.prevCursor) {
        page = fetchPage(order, decodeCursor(page.prevCursor), 3);
        back.unshift(page.rows.map((r) => r.id));
      }
      expect(back).toEqual(seen.slice(0, -1));
      expect(page.prevCursor).toBeNull();
      expect(page.nextCursor).not.toBeNull();
    });
  }

  it("has no next page when the rows fit exactly", () => {
    expect(fetchPage("desc", null, 7)).toMatchObject({ nextCursor: null, prevCursor: null });
  });
});
