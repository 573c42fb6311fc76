import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as attemptsLiveRoute } from "@/app/(dashboard)/[org]/settings/integrations/webhooks/endpoints/[endpointId]/attempts/live/route";
import { GET as liveRoute } from "@/app/(dashboard)/[org]/settings/integrations/webhooks/messages/live/route";
import { db } from "@/lib/db";
import { encodeCursor } from "@/lib/db/keyset";
import type { DeliveryStatus } from "@/lib/generated/prisma/client";
import { endpointsThatDelivered, messageOfEvent } from "@/lib/messages/delivered-by";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg, createUser } from "@/tests/helpers/factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));

const T0 = Date.now() - 3_600_000;
const at = (minute: number) => new Date(T0 + minute * 60_000);

async function message(organizationId: string, id: string, minute: number, eventType = "contract.created") {
  await db.message.create({ data: { id, organizationId, eventType, body: "{}", createdAt: at(minute) } });
}

async function endpoint(organizationId: string) {
  const id = `ep_${randomUUID().replaceAll("-", "").slice(0, 22)}`;
  await db.endpoint.create({ data: { id, organizationId, url: `http://127.0.0.1:9/hooks/${id}`, eventTypes: ["contract.created"], disabled: true, headers: [] } });
  return id;
}

async function delivery(organizationId: string, messageId: string, endpointId: string, status: DeliveryStatus, attemptCount = 0, createdAt?: Date) {
  return db.delivery.create({ data: { id: `dlv_${randomUUID().replaceAll("-", "")}`, organizationId, messageId, endpointId, status, attemptCount, createdAt } });
}

const get = (org: string, query: string) => liveRoute(new Request(`http://localhost/x/messages/live?${query}`), { params: Promise.resolve({ org }) });

describe("message logs: live updates route", () => {
  let org: { id: string; slug: string };
  let other: { id: string; slug: string };
  let ep: string;
  beforeAll(async () => {
    org = await createOrg();
    other = await createOrg();
    ep = await endpoint(org.id);
    await message(org.id, `msg_live_a_${org.id.slice(0, 6)}`, 1);
    await message(org.id, `msg_live_b_${org.id.slice(0, 6)}`, 2, "contract.updated");
    await message(org.id, `msg_live_c_${org.id.slice(0, 6)}`, 3);
    await message(other.id, `msg_live_x_${other.id.slice(0, 6)}`, 4);
    await delivery(org.id, `msg_live_a_${org.id.slice(0, 6)}`, ep, "PENDING", 1);
  });

  it("gives a VIEWER fresh counts for the rows asked, leaving out other organizations' ids", async () => {
    const viewer = await createMember(org.id, "VIEWER");
    signInAs(viewer.id);
    const a = `msg_live_a_${org.id.slice(0, 6)}`;
    const x = `msg_live_x_${other.id.slice(0, 6)}`;
    const response = await get(org.slug, `ids=${a}&ids=${x}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rows: Record<string, { total: number; retrying: number }>; newer: { count: number; more: boolean } };
    expect(Object.keys(body.rows)).toEqual([a]);
    expect(body.rows[a]).toMatchObject({ total: 1, retrying: 1 });
    expect(body.newer).toEqual({ count: 0, more: false });
  });

  it("counts the messages of the same view newer than the anchor row", async () => {
    const viewer = await createMember(org.id, "VIEWER");
    signInAs(viewer.id);
    const anchor = encodeCursor({ direction: "prev", at: at(1), id: `msg_live_a_${org.id.slice(0, 6)}` });
    const all = (await (await get(org.slug, `after=${anchor}`)).json()) as { newer: { count: number } };
    expect(all.newer.count).toBe(2);
    const filtered = (await (await get(org.slug, `after=${anchor}&eventType=contract.created`)).json()) as { newer: { count: number } };
    expect(filtered.newer.count).toBe(1);
  });

  it("refuses the signed out and non-members, and explains invalid filters", async () => {
    signInAs(null);
    expect((await get(org.slug, "")).status).toBe(401);
    signInAs((await createUser()).id);
    expect((await get(org.slug, "")).status).toBe(404);
    signInAs((await createMember(org.id, "VIEWER")).id);
    const invalid = await get(org.slug, "contains=%7Bnope");
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ message: expect.stringMatching(/^Not valid JSON/) });
  });
});

describe("attempted messages: live updates route", () => {
  const getAttempts = (org: string, endpointId: string, query: string) =>
    attemptsLiveRoute(new Request(`http://localhost/x/attempts/live?${query}`), { params: Promise.resolve({ org, endpointId }) });

  it("gives a VIEWER the current state of the deliveries asked, of this endpoint only, and counts newer ones", async () => {
    const org = await createOrg();
    const ep = await endpoint(org.id);
    const otherEp = await endpoint(org.id);
    const tag = org.id.slice(0, 6);
    for (const [i, name] of ["a", "b", "c"].entries()) await message(org.id, `msg_att_${name}_${tag}`, i + 1);
    const a = await delivery(org.id, `msg_att_a_${tag}`, ep, "PENDING", 1, at(1));
    await delivery(org.id, `msg_att_b_${tag}`, ep, "SUCCEEDED", 1, at(2));
    await delivery(org.id, `msg_att_c_${tag}`, ep, "FAILED", 8, at(3));
    const elsewhere = await delivery(org.id, `msg_att_a_${tag}`, otherEp, "PENDING", 0, at(1));
    await db.delivery.update({ where: { id: a.id }, data: { status: "SUCCEEDED", attemptCount: 2, lastAttemptAt: at(4) } });
    signInAs((await createMember(org.id, "VIEWER")).id);

    const anchor = encodeCursor({ direction: "prev", at: at(1), id: a.id });
    const response = await getAttempts(org.slug, ep, `ids=${a.id}&ids=${elsewhere.id}&after=${anchor}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rows: Record<string, { status: string; attemptCount: number; lastAttemptAt: string }>; newer: { count: number; more: boolean } };
    expect(Object.keys(body.rows)).toEqual([a.id]);
    expect(body.rows[a.id]).toMatchObject({ status: "SUCCEEDED", attemptCount: 2, lastAttemptAt: at(4).toISOString() });
    expect(body.newer).toEqual({ count: 2, more: false });
    const failedOnly = (await (await getAttempts(org.slug, ep, `after=${anchor}&status=failed`)).json()) as { newer: { count: number } };
    expect(failedOnly.newer.count).toBe(1);
  });

  it("refuses non-members and answers 404 for an endpoint of another organization", async () => {
    const org = await createOrg();
    const foreign = await endpoint((await createOrg()).id);
    signInAs((await createUser()).id);
    expect((await getAttempts(org.slug, foreign, "")).status).toBe(404);
    signInAs((await createMember(org.id, "VIEWER")).id);
    expect((await getAttempts(org.slug, foreign, "")).status).toBe(404);
    expect((await getAttempts(org.slug, await endpoint(org.id), "status=nope")).status).toBe(422);
  });
});

describe("links to a message", () => {
  it("finds which endpoint delivered a message to an address, within the organization", async () => {
    const org = await createOrg();
    const ep = await endpoint(org.id);
    const id = `msg_dlv_${randomUUID().slice(0, 8)}`;
    await message(org.id, id, 5);
    const d = await delivery(org.id, id, ep, "SUCCEEDED", 1);
    await db.attempt.create({
      data: { id: `att_${randomUUID().replaceAll("-", "")}`, deliveryId: d.id, messageId: id, endpointId: ep, attemptNumber: 1, trigger: "SCHEDULED", url: `http://127.0.0.1:9/hooks/${ep}`, startedAt: at(5), durationMs: 3, succeeded: true, statusCode: 204 },
    });
    const found = await endpointsThatDelivered(org.id, [id, "msg_unknown"], `/hooks/${ep}`);
    expect([...found.entries()]).toEqual([[id, { endpointId: ep, url: `http://127.0.0.1:9/hooks/${ep}`, description: "" }]]);
    expect((await endpointsThatDelivered(org.id, [id], "/somewhere-else")).size).toBe(0);
    expect((await endpointsThatDelivered((await createOrg()).id, [id], `/hooks/${ep}`)).size).toBe(0);
  });

  it("reads a delivery run's event data as a link to its message", async () => {
    const org = await createOrg();
    expect(await messageOfEvent({ organizationId: org.id, messageId: "msg_1", deliveryId: "dlv_1" })).toEqual({ org: org.slug, messageId: "msg_1" });
    expect(await messageOfEvent({ name: "something else" })).toBeNull();
    expect(await messageOfEvent({ organizationId: "no-such-org", messageId: "msg_1" })).toBeNull();
  });
});

afterAll(() => signInAs(null));
