import { describe, expect, it } from "vitest";
import { claimForManual, failDeliveries, markSending } from "@/lib/delivery/store";
import { ids, NEW_ID_SQL, type AttemptId, type DeliveryId, type EndpointId, type MessageId, type OrganizationId, type TaskId } from "@/lib/ids";
import { events } from "@/lib/outbox";

/**
 * Ids come from lib/ids.ts: one format per kind, readable and prefixed, and one type per kind.
 * The second half of this file is checked by the type-check (`npm test -- static`): each
 * `@ts-expect-error` line mixes two kinds, and if mixing ever stopped being an error the
 * directive would be unused, which fails the type-check.
 */

describe("id formats", () => {
  it("makes prefixed ids of every kind, each new one unique", () => {
    expect(ids.endpoint.generate()).toMatch(/^ep_[0-9A-Za-z]{22}$/);
    expect(ids.message.generate()).toMatch(/^msg_[0-9A-Za-z]{22}$/);
    expect(ids.task.generate()).toMatch(/^qtask_[0-9A-Za-z]{22}$/);
    expect(ids.delivery.generate()).toMatch(/^dlv_[0-9a-f]{32}$/);
    // Svix's prefix for attempts.
    expect(ids.attempt.generate()).toMatch(/^atmpt_[0-9a-f]{32}$/);
    const many = new Set(Array.from({ length: 2_000 }, () => ids.message.generate()));
    expect(many.size).toBe(2_000);
  });

  it("uses every base62 character, none more often than chance allows", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) for (const c of ids.endpoint.generate().slice(3)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // 110,000 characters over 62: 1,774 each, give or take 42. A generator taking a random byte
    // modulo 62 gives the first eight characters 25 % more (2,148); 2,000 is 5 deviations above a fair one.
    expect(Math.max(...counts.values())).toBeLessThan(2_000);
  });

  it("recognises each kind by its prefix, old attempt ids included", () => {
    expect(ids.attempt.is("att_0123456789abcdef0123456789abcdef")).toBe(true);
    expect(ids.attempt.is("atmpt_0123456789abcdef0123456789abcdef")).toBe(true);
    expect(ids.attempt.is("msg_0123456789abcdef0123456789abcdef")).toBe(false);
    expect(ids.delivery.is(ids.delivery.generate())).toBe(true);
    expect(ids.delivery.is(ids.attempt.generate())).toBe(false);
    expect(ids.message.is(ids.endpoint.generate())).toBe(false);
    expect(ids.task.is("qtask_")).toBe(false);
  });

  it("validates and types route params and inputs with a specific message", () => {
    expect(ids.delivery.schema().safeParse(ids.delivery.generate()).success).toBe(true);
    const wrong = ids.delivery.schema().safeParse(ids.message.generate());
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.message).toBe("Unknown delivery id");
  });

  it("makes the same formats in SQL as in TypeScript", () => {
    expect(NEW_ID_SQL.delivery).toBe(`'dlv_' || replace(gen_random_uuid()::text, '-', '')`);
    expect(NEW_ID_SQL.attempt).toBe(`'atmpt_' || replace(gen_random_uuid()::text, '-', '')`);
  });
});

/** Never called: its body is for the type-check only. */
export function kindsDoNotMix(
  organizationId: OrganizationId,
  endpointId: EndpointId,
  messageId: MessageId,
  deliveryId: DeliveryId,
  attemptId: AttemptId,
  taskId: TaskId,
) {
  // The right kinds are accepted...
  void markSending([deliveryId], 1, new Date());
  void failDeliveries({ endpointId }, "test");
  void events.deliveryRequested({ deliveryId, organizationId, endpointId, messageId });
  void events.recoveryRequested({ taskId, organizationId });
  const asString: string = attemptId;
  void asString;

  // @ts-expect-error an endpoint id is not a delivery id
  void markSending([endpointId], 1, new Date());
  // @ts-expect-error a message id is not a delivery id
  void claimForManual([messageId], ["FAILED"]);
  // @ts-expect-error a delivery id is not an endpoint id
  void failDeliveries({ endpointId: deliveryId }, "test");
  // @ts-expect-error endpoint and message ids swapped
  void events.deliveryRequested({ deliveryId, organizationId, endpointId: messageId, messageId: endpointId });
  // @ts-expect-error an attempt id is not a task id
  void events.recoveryRequested({ taskId: attemptId, organizationId });
  // @ts-expect-error a plain string is no id of any kind: it must be checked (ids.<kind>.is / schema) or read from storage (ids.<kind>.of)
  void markSending(["dlv_0123"], 1, new Date());
}
