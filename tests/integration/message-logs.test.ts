import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as exportMessagesRoute } from "@/app/(dashboard)/[org]/settings/integrations/webhooks/messages/export/route";
import { db } from "@/lib/db";
import { decodeCursor, encodeCursor } from "@/lib/db/keyset";
import type { DeliveryStatus } from "@/lib/generated/prisma/client";
import { exportMessages } from "@/lib/messages/export";
import { deliveryCountsOf, listMessages, type MessageSelection } from "@/lib/messages/list";
import { summarizeDeliveries } from "@/lib/messages/summary";
import { messageLogFiltersSchema } from "@/lib/validations/message-logs";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg, createUser } from "@/tests/helpers/factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));

const T0 = new Date("2026-03-01T00:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const now = minutes(10_000);

const filters = (input: Record<string, unknown> = {}) => messageLogFiltersSchema.parse(input);
const ids = (page: { items: { id: string }[] }) => page.items.map((m) => m.id);

let seq = 0;
/** Messages `msg_<tag>_<i>` one minute apart (i = 0 oldest), written directly: the list reads them back. */
async function insertMessages(
  organizationId: string,
  count: number,
  options: { tag?: string; eventType?: (i: number) => string; body?: (i: number) => unknown; eventId?: (i: number) => string | null; at?: (i: number) => Date } = {},
): Promise<string[]> {
  const tag = options.tag ?? `m${++seq}`;
  const rows = Array.from({ length: count }, (_, i) => ({
    id: `msg_${tag}_${String(i).padStart(5, "0")}`,
    organizationId,
    eventType: options.eventType?.(i) ?? "contract.created",
    eventId: options.eventId?.(i) ?? null,
    body: JSON.stringify(options.body?.(i) ?? { contract: { id: `ctr_${i}` } }),
    createdAt: options.at?.(i) ?? minutes(i),
  }));
  await db.message.createMany({ data: rows });
  return rows.map((r) => r.id);
}

async function insertEndpoint(organizationId: string, extra: { headers?: { name: string; value: string }[] } = {}) {
  const id = `ep_${crypto.randomUUID().replaceAll("-", "").slice(0, 22)}`;
  await db.endpoint.create({ data: { id, organizationId, url: `http://127.0.0.1:9/${id}`, eventTypes: ["contract.created"], disabled: true, headers: extra.headers ?? [] } });
  return id;
}

async function insertDelivery(
  organizationId: string,
  messageId: string,
  endpointId: string,
  status: DeliveryStatus,
  extra: { attemptCount?: number; nextAttemptAt?: Date | null } = {},
) {
  const message = await db.message.findUniqueOrThrow({ where: { id: messageId } });
  return db.delivery.create({
    data: { id: `dlv_${randomUUID().replaceAll("-", "")}`, organizationId, messageId, endpointId, status, attemptCount: extra.attemptCount ?? 0, nextAttemptAt: extra.nextAttemptAt ?? null, createdAt: message.createdAt },
  });
}

describe("message logs: pagination", () => {
  let org: { id: string };
  let all: string[];
  beforeAll(async () => {
    org = await createOrg();
    all = (await insertMessages(org.id, 120)).reverse();
  });

  it("walks every message newest first and back again by cursor, with no gap or repeat", async () => {
    const first = await listMessages(org.id, filters({ limit: "50" }), now);
    expect(ids(first)).toEqual(all.slice(0, 50));
    expect(first.prevCursor).toBeNull();
    const second = await listMessages(org.id, filters({ limit: "50", cursor: first.nextCursor }), now);
    expect(ids(second)).toEqual(all.slice(50, 100));
    const last = await listMessages(org.id, filters({ limit: "50", cursor: second.nextCursor }), now);
    expect(ids(last)).toEqual(all.slice(100));
    expect(last.nextCursor).toBeNull();

    const backToSecond = await listMessages(org.id, filters({ limit: "50", cursor: last.prevCursor }), now);
    expect(ids(backToSecond)).toEqual(all.slice(50, 100));
    const backToFirst = await listMessages(org.id, filters({ limit: "50", cursor: backToSecond.prevCursor }), now);
    expect(ids(backToFirst)).toEqual(all.slice(0, 50));
    expect(backToFirst.prevCursor).toBeNull();
    expect(backToFirst.nextCursor).not.toBeNull();
  });

  it("has no next page when the messages fill exactly one page", async () => {
    const page = await listMessages(org.id, filters({ limit: "120" }), now);
    expect(page.items).toHaveLength(120);
    expect(page.nextCursor).toBeNull();
    expect(page.prevCursor).toBeNull();
  });

  it("returns an empty page for an organization without messages", async () => {
    const empty = await createOrg();
    expect(await listMessages(empty.id, filters(), now)).toEqual({ items: [], nextCursor: null, prevCursor: null });
  });

  it("orders messages of the same millisecond by id, so pages never skip or repeat them", async () => {
    const same = await createOrg();
    const created = await insertMessages(same.id, 5, { at: () => T0 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listMessages>> = await listMessages(same.id, filters({ limit: "2", cursor: cursor ?? undefined }), now);
      seen.push(...ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...created].sort().reverse());
  });

  it("defaults to 50 per page and refuses more than 250", async () => {
    expect((await listMessages(org.id, filters(), now)).items).toHaveLength(50);
    expect(messageLogFiltersSchema.safeParse({ limit: "251" }).error?.issues[0]?.message).toBe("The page size is at most 250");
  });

  it("keeps the cursor opaque and refuses one it did not write", () => {
    const cursor = encodeCursor({ direction: "next", at: T0, id: "msg_x" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ direction: "next", at: T0, id: "msg_x" });
    expect(messageLogFiltersSchema.safeParse({ cursor: "not-a-cursor" }).error?.issues[0]?.message).toMatch(/page link is not valid/);
  });
});

describe("message logs: filters", () => {
  let org: { id: string };
  let endpointA: string;
  let endpointB: string;
  const byState: Record<string, string> = {};
  beforeAll(async () => {
    org = await createOrg();
    endpointA = await insertEndpoint(org.id);
    endpointB = await insertEndpoint(org.id);
    const types = ["contract.created", "offer.accepted", "buyer.registered"];
    await insertMessages(org.id, 30, {
      tag: "f",
      eventType: (i) => types[i % 3]!,
      eventId: (i) => `evt-${i}`,
      body: (i) => ({ contract: { id: `ctr_${i}`, seats: i, active: i % 2 === 0 }, note: "same" }),
    });
    const m = (i: number) => `msg_f_${String(i).padStart(5, "0")}`;
    await insertDelivery(org.id, m(0), endpointA, "SUCCEEDED", { attemptCount: 1 });
    await insertDelivery(org.id, m(1), endpointA, "FAILED", { attemptCount: 8 });
    await insertDelivery(org.id, m(1), endpointB, "SUCCEEDED", { attemptCount: 1 });
    await insertDelivery(org.id, m(2), endpointB, "PENDING", { attemptCount: 2, nextAttemptAt: minutes(10_004) });
    await insertDelivery(org.id, m(3), endpointA, "SENDING", { attemptCount: 1 });
    Object.assign(byState, { succeeded: m(0), failed: m(1), pending: m(2), sending: m(3) });
  });

  const select = async (input: Record<string, unknown>) => ids(await listMessages(org.id, filters({ limit: "250", ...input }), now));

  it("filters by one or several event types", async () => {
    expect(await select({ eventType: "offer.accepted" })).toHaveLength(10);
    expect(await select({ eventType: ["offer.accepted", "buyer.registered"] })).toHaveLength(20);
    expect(await select({ eventType: "no.such" })).toEqual([]);
  });

  it("filters by the state of any of the message's deliveries, or by having none", async () => {
    expect(await select({ status: "succeeded" })).toEqual([byState.failed, byState.succeeded]);
    expect(await select({ status: "failed" })).toEqual([byState.failed]);
    expect(await select({ status: "pending" })).toEqual([byState.pending]);
    expect(await select({ status: "sending" })).toEqual([byState.sending]);
    const none = await select({ status: "none" });
    expect(none).toHaveLength(26);
    expect(none).not.toContain(byState.succeeded);
  });

  it("filters by endpoint", async () => {
    expect(await select({ endpoint: endpointB })).toEqual([byState.pending, byState.failed]);
  });

  it("filters by a time range, start included and end excluded, and by a preset ending now", async () => {
    expect(await select({ from: minutes(10).toISOString(), to: minutes(13).toISOString() })).toEqual(["msg_f_00012", "msg_f_00011", "msg_f_00010"]);
    const recent = await createOrg();
    await insertMessages(recent.id, 3, { tag: "r", at: (i) => new Date(now.getTime() - [30, 90, 60 * 25][i]! * 60_000) });
    expect(ids(await listMessages(recent.id, filters({ since: "1h" }), now))).toEqual(["msg_r_00000"]);
    expect(ids(await listMessages(recent.id, filters({ since: "24h" }), now))).toEqual(["msg_r_00000", "msg_r_00001"]);
    expect(messageLogFiltersSchema.safeParse({ from: minutes(5).toISOString(), to: minutes(1).toISOString() }).error?.issues[0]?.message).toBe(
      "The end of the range must be after its start",
    );
  });

  it("finds a message by its id or by the sender's event id", async () => {
    expect(await select({ id: "msg_f_00007" })).toEqual(["msg_f_00007"]);
    expect(await select({ id: " evt-7 " })).toEqual(["msg_f_00007"]);
    expect(await select({ id: "evt-999" })).toEqual([]);
  });

  it("searches payloads by JSON containment", async () => {
    expect(await select({ contains: '{"contract":{"id":"ctr_4"}}' })).toEqual(["msg_f_00004"]);
    expect(await select({ contains: '{"contract":{"seats":4,"active":true}}' })).toEqual(["msg_f_00004"]);
    expect(await select({ contains: '{"note":"same"}' })).toHaveLength(30);
    expect(await select({ contains: '{"contract":{"id":"ctr_404"}}' })).toEqual([]);
  });

  it("searches payloads by key path equals, matching a number given as text too", async () => {
    expect(await select({ path: "contract.id", value: "ctr_5" })).toEqual(["msg_f_00005"]);
    expect(await select({ path: "contract.seats", value: "6" })).toEqual(["msg_f_00006"]);
    expect(await select({ path: "contract.active", value: "false", eventType: "offer.accepted" })).toEqual(["msg_f_00025", "msg_f_00019", "msg_f_00013", "msg_f_00007", "msg_f_00001"]);
  });

  it("explains invalid JSON, a non-object search and an invalid key path", () => {
    const issue = (input: Record<string, unknown>) => messageLogFiltersSchema.safeParse(input).error?.issues[0];
    expect(issue({ contains: '{"contract":' })).toMatchObject({ path: ["contains"], message: expect.stringMatching(/^Not valid JSON: .+Example: \{"contract":\{"id":"ctr_1"\}\}$/) });
    expect(issue({ contains: "[1,2]" })?.message).toBe('Search with a JSON object, e.g. {"contract":{"id":"ctr_1"}}');
    expect(issue({ path: "contract..id", value: "x" })).toMatchObject({ path: ["path"], message: "Write the key path with dots between keys, e.g. contract.id" });
    expect(issue({ path: "contract.id" })).toMatchObject({ path: ["value"], message: "Give the value the key must equal" });
    expect(issue({ status: "lost" })?.message).toBe("Status is one of: succeeded, failed, pending, sending, none");
  });

  it("combines filters", async () => {
    expect(await select({ eventType: "offer.accepted", status: "failed", from: minutes(0).toISOString() })).toEqual([byState.failed]);
    expect(await select({ eventType: "contract.created", status: "failed" })).toEqual([]);
  });
});

describe("message logs: the delivery summary of each row", () => {
  it("is computed in the list query for every state", async () => {
    const org = await createOrg();
    const [a, b, c] = [await insertEndpoint(org.id), await insertEndpoint(org.id), await insertEndpoint(org.id)];
    const m = await insertMessages(org.id, 7, { tag: "s" });
    await insertDelivery(org.id, m[1]!, a, "SUCCEEDED");
    await insertDelivery(org.id, m[1]!, b, "SUCCEEDED");
    await insertDelivery(org.id, m[2]!, a, "SUCCEEDED");
    await insertDelivery(org.id, m[2]!, b, "PENDING", { attemptCount: 1, nextAttemptAt: new Date(now.getTime() + 4 * 60_000) });
    await insertDelivery(org.id, m[3]!, a, "FAILED", { attemptCount: 8 });
    await insertDelivery(org.id, m[3]!, b, "SUCCEEDED");
    await insertDelivery(org.id, m[3]!, c, "SUCCEEDED");
    await insertDelivery(org.id, m[4]!, a, "SENDING", { attemptCount: 1 });
    await insertDelivery(org.id, m[5]!, a, "PENDING", { nextAttemptAt: now });
    await insertDelivery(org.id, m[6]!, a, "PENDING", { attemptCount: 3, nextAttemptAt: new Date(now.getTime() + 30 * 60_000) });
    await insertDelivery(org.id, m[6]!, b, "PENDING", { attemptCount: 2, nextAttemptAt: new Date(now.getTime() + 5 * 60_000) });
    const page = await listMessages(org.id, filters(), now);
    const text = Object.fromEntries(page.items.map((row) => [row.id, summarizeDeliveries(row.deliveries, now).text]));
    expect(text).toEqual({
      [m[0]!]: "No endpoint subscribed",
      [m[1]!]: "Delivered to 2 endpoints",
      [m[2]!]: "2 endpoints: 1 succeeded, 1 retrying, next attempt in 4 min",
      [m[3]!]: "Failed on 1 of 3",
      [m[4]!]: "Sending to 1 endpoint",
      [m[5]!]: "Waiting to send to 1 endpoint",
      [m[6]!]: "Retrying 2 endpoints, next attempt in 5 min",
    });
    expect(page.items.find((r) => r.id === m[6])!.deliveries).toMatchObject({ total: 2, retrying: 2, nextAttemptAt: new Date(now.getTime() + 5 * 60_000) });

    // Rows on screen refresh their counts alone; another organization's ids are left out.
    await db.delivery.updateMany({ where: { messageId: m[2] }, data: { status: "SUCCEEDED", nextAttemptAt: null } });
    const stranger = await createOrg();
    const [foreign] = await insertMessages(stranger.id, 1, { tag: "s2" });
    const fresh = await deliveryCountsOf(org.id, [m[2]!, m[0]!, foreign!]);
    expect([...fresh.keys()].sort()).toEqual([m[0]!, m[2]!].sort());
    expect(summarizeDeliveries(fresh.get(m[2]!)!, now).text).toBe("Delivered to 2 endpoints");
  });

  it("finds the messages that arrived above the first row, for the new-messages notice", async () => {
    const org = await createOrg();
    await insertMessages(org.id, 3, { tag: "n" });
    const page = await listMessages(org.id, filters(), now);
    expect(page.prevCursor).toBeNull();
    await insertMessages(org.id, 2, { tag: "n2", at: (i) => minutes(100 + i) });
    const newest = page.items[0]!;
    const above = await listMessages(org.id, filters({ cursor: encodeCursor({ direction: "prev", at: newest.createdAt, id: newest.id }) }), now);
    expect(ids(above)).toEqual(["msg_n2_00001", "msg_n2_00000"]);
  });
});

async function readAll(chunks: AsyncGenerator<string>): Promise<{ text: string; chunks: number }> {
  let text = "";
  let count = 0;
  for await (const chunk of chunks) {
    text += chunk;
    count++;
  }
  return { text, chunks: count };
}

describe("message logs: export", () => {
  const headerSecret = "hdr-secret-7f3c1a";
  let org: { id: string; slug: string };
  beforeAll(async () => {
    org = await createOrg();
    await insertMessages(org.id, 2_500, { tag: "x", eventId: (i) => (i === 3 ? '=HYPERLINK("http://evil")' : `evt-${i}`), body: (i) => ({ contract: { id: `ctr_${i}` }, note: 'quote " and, comma' }) });
    const endpoint = await insertEndpoint(org.id, { headers: [{ name: "X-Api-Key", value: headerSecret }] });
    const delivery = await insertDelivery(org.id, "msg_x_02499", endpoint, "SUCCEEDED", { attemptCount: 1 });
    // The receiver echoed the custom header back: the secret is now in the exported message's
    // own attempt as well as in its endpoint, where a careless join would pick it up.
    await db.attempt.create({
      data: {
        id: `atmpt_${randomUUID().replaceAll("-", "")}`,
        deliveryId: delivery.id,
        messageId: "msg_x_02499",
        endpointId: endpoint,
        attemptNumber: 1,
        trigger: "SCHEDULED",
        url: `http://127.0.0.1:9/${endpoint}`,
        startedAt: minutes(2499),
        durationMs: 3,
        succeeded: true,
        statusCode: 200,
        responseHeaders: { "x-echo-x-api-key": headerSecret },
        responseBody: "ok",
      },
    });
  });

  /** The export's rows are the only place the secret could come from: make sure it is there to leak. */
  async function secretIsInReach() {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Message" m
        JOIN "Delivery" d ON d."messageId" = m.id
        JOIN "Endpoint" e ON e.id = d."endpointId"
        JOIN "Attempt" a ON a."deliveryId" = d.id
       WHERE m."organizationId" = ${org.id} AND e.headers::text LIKE ${`%${headerSecret}%`} AND a."responseHeaders"::text LIKE ${`%${headerSecret}%`}`;
    expect(row!.n).toBe(1);
  }

  it("streams every row of the filtered view in batches, as CSV", async () => {
    const { text, chunks } = await readAll(exportMessages(org.id, filters() as MessageSelection, { format: "csv", includeBody: true, now }));
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,eventType,eventId,test,createdAt,summary,endpoints,succeeded,failed,pending,sending,nextAttemptAt,payload");
    expect(lines).toHaveLength(2_501);
    expect(chunks).toBe(1 + 3);
    expect(lines[1]).toBe(`msg_x_02499,contract.created,evt-2499,false,${minutes(2499).toISOString()},Delivered to 1 endpoint,1,1,0,0,0,,"{""contract"":{""id"":""ctr_2499""},""note"":""quote \\"" and, comma""}"`);
    // A value a spreadsheet would run as a formula is written as text.
    expect(text).toContain(`msg_x_00003,contract.created,"'=HYPERLINK(""http://evil"")"`);
    await secretIsInReach();
    expect(text).not.toContain(headerSecret);
  });

  it("streams NDJSON with the view's filters and without payloads unless asked", async () => {
    const { text } = await readAll(exportMessages(org.id, filters({ to: minutes(1_200).toISOString() }) as MessageSelection, { format: "ndjson", includeBody: false, now }));
    const rows = text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(1_200);
    expect(rows[0]).toEqual({
      id: "msg_x_01199",
      eventType: "contract.created",
      eventId: "evt-1199",
      test: false,
      createdAt: minutes(1199).toISOString(),
      summary: "No endpoint subscribed",
      endpoints: 0,
      succeeded: 0,
      failed: 0,
      pending: 0,
      sending: 0,
      nextAttemptAt: null,
    });
  });

  it("is served to a VIEWER with the session checked, as an attachment", async () => {
    const viewer = await createMember(org.id, "VIEWER");
    signInAs(viewer.id);
    const response = await exportMessagesRoute(new Request(`http://localhost/x/messages/export?format=ndjson&since=30d&eventType=contract.created&id=evt-7`), {
      params: Promise.resolve({ org: org.slug }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="messages-${org.slug}-.+\\.ndjson"$`));
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    // 30 days before the real now: the messages of March 2026 are older.
    expect(await response.text()).toBe("");

    const all = await exportMessagesRoute(new Request(`http://localhost/x/messages/export?id=evt-7`), { params: Promise.resolve({ org: org.slug }) });
    expect((await all.text()).split("\r\n")[1]).toMatch(/^msg_x_00007,contract\.created,evt-7,/);
  });

  it("is refused to the signed out and to non-members, and explains invalid filters", async () => {
    const params = { params: Promise.resolve({ org: org.slug }) };
    signInAs(null);
    expect((await exportMessagesRoute(new Request("http://localhost/x"), params)).status).toBe(401);
    const outsider = await createUser();
    signInAs(outsider.id);
    expect((await exportMessagesRoute(new Request("http://localhost/x"), params)).status).toBe(404);
    const viewer = await createMember(org.id, "VIEWER");
    signInAs(viewer.id);
    const invalid = await exportMessagesRoute(new Request("http://localhost/x?contains=%7Bnope"), params);
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ code: "invalid_body", message: expect.stringMatching(/^Not valid JSON/) });
  });
});

afterAll(() => signInAs(null));
