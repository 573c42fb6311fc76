import { BackgroundTaskStatus, Ordering, Svix } from "svix";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, test } from "./fixtures";
import { createKey, serverUrl, startReceiver } from "./sdk";

/**
 * Svix's paging with the official svix SDK (2.5.0, its default retries on), as a Svix customer's
 * code pages: attempts, endpoints and background tasks forward to the end and back with
 * `prevIterator`, resuming from a stored id, `order` ascending, and polling for new attempts with
 * the `prevIterator` kept from an earlier answer.
 */

const EVENT_TYPE = "contract.created";
const payload = SEED_CATALOG.find((t) => t.name === EVENT_TYPE)!.examples[0]!.payload as Record<string, unknown>;
const DELIVERY_MS = 30_000;

interface ListPage {
  data: { id: string }[];
  iterator: string | null;
  prevIterator?: string | null;
  done: boolean;
}

type Fetch = (options: { limit?: number; iterator?: string | null }) => Promise<ListPage>;

const idsOf = (page: ListPage) => page.data.map((item) => item.id);

/**
 * Walks a list two at a time to its end with `iterator`, then back to its front with
 * `prevIterator`, checking each answer's iterators and `done`; returns the ids in list order.
 */
async function walkBothWays(fetch: Fetch, expected: string[]): Promise<void> {
  const forward: ListPage[] = [];
  let iterator: string | null = null;
  for (let n = 0; n < expected.length; n++) {
    const page = await fetch({ limit: 2, iterator });
    forward.push(page);
    expect(page.iterator).toBe(idsOf(page).at(-1));
    expect(page.prevIterator).toBe(`-${idsOf(page)[0]}`);
    if (page.done) break;
    iterator = page.iterator;
  }
  expect(forward.flatMap(idsOf)).toEqual(expected);
  expect(forward.map((p) => p.done)).toEqual(forward.map((_, n) => n === forward.length - 1));

  const back: ListPage[] = [];
  let prev = forward.at(-1)!.prevIterator!;
  for (let n = 0; n < expected.length; n++) {
    const page = await fetch({ limit: 2, iterator: prev });
    back.unshift(page);
    if (page.done) break;
    prev = page.prevIterator!;
  }
  expect(back.map(idsOf)).toEqual(forward.slice(0, -1).map(idsOf));
  expect(back[0]!.done).toBe(true);

  // A stored id resumes the list after it, and with "-" reads the ones before it.
  expect(idsOf(await fetch({ iterator: expected[1] }))).toEqual(expected.slice(2));
  expect(idsOf(await fetch({ iterator: `-${expected[3]}` }))).toEqual(expected.slice(0, 3));
}

test.describe("paging through the svix SDK", () => {
  test("pages attempts, endpoints and background tasks both ways with prevIterator, and polls for new attempts", async ({ data }) => {
    test.setTimeout(180_000);
    const receiver = await startReceiver();
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      // No retry schedule given: the SDK's own retries stay on, as in a customer's code.
      const client = new Svix(await createKey(data, org.id), { serverUrl: serverUrl() });

      // Five endpoints, created one after the other; the first receives the messages.
      const endpoints: string[] = [];
      for (let n = 0; n < 5; n++) {
        const created = await client.endpoint.create(org.slug, { url: `${receiver.url}?n=${n}`, eventTypes: n === 0 ? [EVENT_TYPE] : ["offer.accepted"], description: `paging ${n}` });
        endpoints.push(created.id);
      }
      const newestFirst = [...endpoints].reverse();
      await walkBothWays((options) => client.endpoint.list(org.slug, options), newestFirst);
      await walkBothWays((options) => client.endpoint.list(org.slug, { ...options, order: Ordering.Ascending }), endpoints);

      // Five messages, each sent once the previous one arrived, so their attempts start in that order.
      const send = async (n: number) => {
        const message = await client.message.create(org.slug, { eventType: EVENT_TYPE, payload: { ...payload, n } });
        await expect.poll(() => receiver.of(message.id).length, { timeout: DELIVERY_MS }).toBe(1);
        return message.id;
      };
      for (let n = 0; n < 5; n++) await send(n);
      const attempts = (options: { limit?: number; iterator?: string | null }) => client.messageAttempt.listByEndpoint(org.slug, endpoints[0]!, options);
      // An attempt is recorded once its answer is in: the receiver sees the request a moment before.
      await expect.poll(async () => (await attempts({ limit: 250 })).data.length, { timeout: DELIVERY_MS }).toBe(5);
      const all = await attempts({ limit: 250 });
      expect(all.data).toHaveLength(5);
      await walkBothWays(attempts, idsOf(all));

      // A poller keeps the prevIterator of its last answer and asks for what came after it.
      const kept = all.prevIterator!;
      expect(await attempts({ iterator: kept })).toMatchObject({ data: [], done: true });
      const later = [await send(5), await send(6)];
      await expect.poll(async () => (await attempts({ iterator: kept })).data.length, { timeout: DELIVERY_MS }).toBe(2);
      const polled = await attempts({ iterator: kept });
      expect(polled.data.map((a) => a.msgId)).toEqual([...later].reverse());
      expect(polled.done).toBe(true);
      expect(await attempts({ iterator: polled.prevIterator })).toMatchObject({ data: [], done: true });

      // One recovery per endpoint: five background tasks of this organization.
      const tasks: string[] = [];
      for (const endpointId of endpoints) {
        const started = await client.endpoint.recover(org.slug, endpointId, { since: new Date(Date.now() - 3_600_000) });
        await expect.poll(async () => (await client.backgroundTask.get(started.id)).status, { timeout: 30_000 }).toBe(BackgroundTaskStatus.Finished);
        tasks.push(started.id);
      }
      await walkBothWays((options) => client.backgroundTask.list(options), [...tasks].reverse());
      await walkBothWays((options) => client.backgroundTask.list({ ...options, order: Ordering.Ascending }), tasks);
    } finally {
      await receiver.close();
    }
  });
});
