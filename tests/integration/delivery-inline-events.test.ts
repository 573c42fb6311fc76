import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/v1/app/[app_id]/msg/route";
import { inngest } from "@/inngest/client";
import { createApiKey } from "@/lib/api-keys/manage";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { db } from "@/lib/db";
import { sqlPool } from "@/lib/db/pool";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { waitFor } from "@/tests/helpers/executor-harness";
import { contractCreated, orgWithEndpoint, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";

// As in the app's server process under `npm start`: the embedded executor's ingest is this
// process's own, so ingestion stores the delivery events in the statement that records the message.
vi.hoisted(() => {
  process.env.EXECUTOR_INGEST_IN_PROCESS = "1";
});

let pipeline: DeliveryPipeline;
let receiver: Receiver;

beforeAll(async () => {
  pipeline = await startDeliveryPipeline();
  receiver = await startReceiver();
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await sqlPool().end();
  await pipeline?.close();
});

async function setup(endpoints: number) {
  const { org, actor, endpointId } = await orgWithEndpoint(`${receiver.url}/first`);
  const endpointIds = [endpointId];
  for (let i = 1; i < endpoints; i++) {
    const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `${receiver.url}/e${i}`, eventTypes: ["contract.created"], rateLimit: "" }), actor);
    if (!created.ok) throw new Error(created.message);
    endpointIds.push(created.id);
  }
  // Not subscribed: no delivery, no event.
  await createEndpoint(org.id, endpointConfigSchema.parse({ url: `${receiver.url}/other`, eventTypes: ["offer.accepted"], rateLimit: "" }), actor);
  const { key } = await createApiKey({ name: "test", scope: "ORGANIZATION", organizationId: org.id, createdById: actor.id });
  return { org, key, endpointIds };
}

function call(app: string, key: string, body: unknown) {
  const request = new Request(`http://127.0.0.1/api/v1/app/${app}/msg`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return POST(request, { params: Promise.resolve({ app }) });
}

async function eventsOf(messageId: string) {
  const { rows } = await sqlPool().query<{ name: string; data: Record<string, unknown>; ts: string; received_at: Date }>(
    `SELECT name, data, ts, received_at FROM executor_events WHERE data->>'messageId' = $1 ORDER BY data->>'endpointId'`,
    [messageId],
  );
  return rows;
}

describe("ingestion with the embedded executor in process", () => {
  it("stores each delivery's event with the message, in one statement, and the deliveries arrive", async () => {
    const { org, key, endpointIds } = await setup(2);
    const send = vi.spyOn(inngest, "send");
    const response = await call(org.slug, key, contractCreated(1));
    // No second request to the executor: the events came with the message.
    expect(send).not.toHaveBeenCalled();
    send.mockRestore();
    expect(response.status).toBe(202);
    const body = (await response.json()) as { id: string; timestamp: string; deliveries: unknown; warning?: string };
    expect(body.deliveries).toEqual({ total: 2, scheduled: 2, failed: 0 });
    expect(body.warning).toBeUndefined();

    const message = await db.message.findUniqueOrThrow({ where: { id: body.id } });
    expect(message.createdAt.toISOString()).toBe(body.timestamp);
    const deliveries = await db.delivery.findMany({ where: { messageId: body.id }, orderBy: { endpointId: "asc" } });
    expect(deliveries.map((d) => d.endpointId)).toEqual([...endpointIds].sort());
    for (const d of deliveries) expect(d.createdAt.toISOString()).toBe(body.timestamp);

    const events = await eventsOf(body.id);
    expect(events.map((e) => ({ name: e.name, data: e.data }))).toEqual(
      deliveries.map((d) => ({ name: "delivery/requested", data: { deliveryId: d.id, organizationId: org.id, endpointId: d.endpointId, messageId: body.id } })),
    );
    for (const e of events) {
      expect(Number(e.ts)).toBe(message.createdAt.getTime());
      expect(e.received_at.toISOString()).toBe(body.timestamp);
    }

    await waitFor("both deliveries", async () => (await db.delivery.count({ where: { messageId: body.id, status: "SUCCEEDED" } })) === 2, 30_000);
    expect(receiver.requests.filter((r) => r.headers["webhook-id"] === body.id)).toHaveLength(2);
  });

  it("does the same for a message with an eventId, and stores nothing more for a repeat of it (409)", async () => {
    const { org, key } = await setup(1);
    const first = await call(org.slug, key, { ...contractCreated(2), eventId: `inline-${Date.now()}` });
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    expect(await eventsOf(id)).toHaveLength(1);
    const again = await call(org.slug, key, { ...contractCreated(2), eventId: (await db.message.findUniqueOrThrow({ where: { id } })).eventId });
    expect(again.status).toBe(409);
    expect(await eventsOf(id)).toHaveLength(1);
    await waitFor("the delivery", async () => (await db.delivery.count({ where: { messageId: id, status: "SUCCEEDED" } })) === 1, 30_000);
  });

  it("stores no event for a message no endpoint subscribes to", async () => {
    const { org, key } = await setup(1);
    const example = SEED_CATALOG.find((t) => t.name === "listing.published")!.examples[0]!.payload;
    const response = await call(org.slug, key, { eventType: "listing.published", payload: example });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { id: string; deliveries: unknown };
    expect(body.deliveries).toEqual({ total: 0, scheduled: 0, failed: 0 });
    expect(await db.delivery.count({ where: { messageId: body.id } })).toBe(0);
    expect(await eventsOf(body.id)).toHaveLength(0);
  });
});
