import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { deleteSentEventsBefore } from "@/lib/outbox/retention";
import { parseRetentionConfig } from "@/lib/retention/config";

/** Claims of docs/retention.md that no other test held. */

class Rollback extends Error {}

describe("docs/retention.md: outbox events the relay sent before the cutoff are deleted; an event not sent yet never is", () => {
  it("deletes the old sent event only: not the old unsent one, not a sent one after the cutoff", async () => {
    const cutoff = new Date("2000-01-01T00:00:00Z");
    const row = (createdAt: string, sentAt: string | null) => ({
      id: `claims_${randomUUID()}`,
      name: "claims/retention",
      data: {},
      ts: BigInt(Date.parse(createdAt)),
      createdAt: new Date(createdAt),
      sentAt: sentAt ? new Date(sentAt) : null,
    });
    const oldSent = row("1999-06-01T00:00:00Z", "1999-06-01T00:00:01Z");
    const oldUnsent = row("1999-06-01T00:00:00Z", null);
    const newSent = row("2000-06-01T00:00:00Z", "2000-06-01T00:00:01Z");
    // Inside a transaction that is rolled back: a relay of another test file running now never
    // sees the unsent row (it would try to send it).
    await expect(
      db.$transaction(async (tx) => {
        await tx.outboxEvent.createMany({ data: [oldSent, oldUnsent, newSent] });
        expect(await deleteSentEventsBefore(cutoff, 100, tx)).toBe(1);
        const left = await tx.outboxEvent.findMany({ where: { id: { in: [oldSent.id, oldUnsent.id, newSent.id] } }, select: { id: true } });
        expect(left.map((r) => r.id).sort()).toEqual([oldUnsent.id, newSent.id].sort());
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
  });
});

describe("docs/retention.md: RETENTION_DAYS is whole days from 1 to 36500", () => {
  it("takes 1 and 36500, and refuses 36501", () => {
    expect(parseRetentionConfig({ RETENTION_DAYS: "1" }).messagesMs).toBe(86_400_000);
    expect(parseRetentionConfig({ RETENTION_DAYS: "36500" }).messagesMs).toBe(36_500 * 86_400_000);
    expect(() => parseRetentionConfig({ RETENTION_DAYS: "36501" })).toThrow(/RETENTION_DAYS/);
  });
});
