import { BackgroundTaskStatus, BackgroundTaskType, MessageAttemptTriggerType, MessageStatus, MessageStatusText, StatusCodeClass } from "svix";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, test } from "./fixtures";
import { apiFailure, createKey, startReceiver, svix } from "./sdk";

/**
 * Messages, message attempts and background tasks with the official svix SDK as the only client:
 * what a Svix customer's code does against this server, unchanged.
 */

const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload as Record<string, unknown>;

/** Starts a recovery of the endpoint's failed messages of the last hour and waits until the task has finished. */
async function finishedRecovery(client: ReturnType<typeof svix>, app: string, endpointId: string): Promise<string> {
  const started = await client.endpoint.recover(app, endpointId, { since: new Date(Date.now() - 3_600_000) });
  await expect.poll(async () => (await client.backgroundTask.get(started.id)).status, { timeout: 30_000 }).toBe(BackgroundTaskStatus.Finished);
  return started.id;
}

test.describe("messages, attempts and background tasks through the svix SDK", () => {
  test("sends, lists and reads messages, their attempts and destinations, resends one, and reads background tasks", async ({ data }) => {
    test.setTimeout(120_000);
    const receiver = await startReceiver();
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      const other = await data.createOrg({ webhooksEnabled: true });
      const client = svix(await createKey(data, org.id));
      const otherClient = svix(await createKey(data, other.id));
      const endpointId = (await client.endpoint.create(org.slug, { url: receiver.url, eventTypes: ["contract.created"] })).id;

      // Each message is sent once the previous one has arrived: messages sent together are delivered
      // concurrently, so their attempts (listed by the time they started) could start in any order.
      const sent = [];
      for (let n = 1; n <= 3; n++) {
        sent.push(await client.message.create(org.slug, { eventType: "contract.created", eventId: `order-${n}`, payload: { ...payload, n } }));
        await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(n);
      }
      const [first, second, third] = sent as [(typeof sent)[0], (typeof sent)[0], (typeof sent)[0]];

      // Messages: newest first; the SDK asks without content by default (payload {}), as Svix answers.
      const listed = await client.message.list(org.slug);
      expect(listed.data.map((m) => m.id)).toEqual([third.id, second.id, first.id]);
      expect(listed.done).toBe(true);
      expect(listed.data[0]!.payload).toEqual({});
      const withContent = await client.message.list(org.slug, { withContent: true, limit: 2 });
      expect(withContent.data.map((m) => m.payload)).toEqual([{ ...payload, n: 3 }, { ...payload, n: 2 }]);
      expect(withContent.done).toBe(false);
      const rest = await client.message.list(org.slug, { withContent: true, limit: 2, iterator: withContent.iterator });
      expect(rest.data.map((m) => m.id)).toEqual([first.id]);
      expect((await client.message.list(org.slug, { eventTypes: ["offer.accepted"] })).data).toEqual([]);
      expect((await client.message.list(org.slug, { after: new Date(Date.now() + 60_000) })).data).toEqual([]);

      const one = await client.message.get(org.slug, second.id, { withContent: true });
      expect(one).toMatchObject({ id: second.id, eventType: "contract.created", eventId: "order-2", payload: { ...payload, n: 2 } });
      expect(one.timestamp).toBeInstanceOf(Date);
      expect(await client.message.get(org.slug, "order-2")).toMatchObject({ id: second.id, payload: {} });

      // Attempts, by endpoint and by message, and the attempted destinations.
      await expect.poll(async () => (await client.messageAttempt.listByEndpoint(org.slug, endpointId)).data.length, { timeout: 30_000 }).toBe(3);
      const byEndpoint = await client.messageAttempt.listByEndpoint(org.slug, endpointId, { withContent: true, withMsg: true });
      expect(byEndpoint.data.map((a) => a.msgId)).toEqual([third.id, second.id, first.id]);
      expect(byEndpoint.data[0]).toMatchObject({
        endpointId,
        url: receiver.url,
        responseStatusCode: 200,
        status: MessageStatus.Success,
        statusText: MessageStatusText.Success,
        triggerType: MessageAttemptTriggerType.Scheduled,
        msg: { id: third.id, eventId: "order-3" },
      });
      expect((await client.messageAttempt.listByEndpoint(org.slug, endpointId, { status: MessageStatus.Fail })).data).toEqual([]);
      expect((await client.messageAttempt.listByEndpoint(org.slug, endpointId, { statusCodeClass: StatusCodeClass.Code2xx, limit: 1 })).done).toBe(false);

      const byMsg = await client.messageAttempt.listByMsg(org.slug, first.id, { endpointId });
      expect(byMsg.data).toHaveLength(1);
      const attempt = await client.messageAttempt.get(org.slug, first.id, byMsg.data[0]!.id);
      expect(attempt).toMatchObject({ id: byMsg.data[0]!.id, msgId: first.id, endpointId, status: MessageStatus.Success, responseStatusCode: 200 });
      expect(attempt.timestamp).toBeInstanceOf(Date);

      const destinations = await client.messageAttempt.listAttemptedDestinations(org.slug, first.id);
      expect(destinations.data).toEqual([expect.objectContaining({ id: endpointId, status: MessageStatus.Success, statusText: MessageStatusText.Success, url: receiver.url, disabled: false })]);

      // Resend: a delivered message is sent again at once, as Svix does; the manual attempt is listed.
      await client.messageAttempt.resend(org.slug, first.id, endpointId);
      expect(receiver.of(first.id)).toHaveLength(2);
      const afterResend = await client.messageAttempt.listByMsg(org.slug, "order-1");
      expect(afterResend.data.map((a) => a.triggerType)).toEqual([MessageAttemptTriggerType.Manual, MessageAttemptTriggerType.Scheduled]);

      // Background tasks: an organization key sees its own only.
      const taskId = await finishedRecovery(client, org.slug, endpointId);
      const otherEndpoint = await otherClient.endpoint.create(other.slug, { url: receiver.url, eventTypes: ["contract.created"] });
      const otherTaskId = await finishedRecovery(otherClient, other.slug, otherEndpoint.id);
      const tasks = await client.backgroundTask.list();
      expect(tasks.data.map((t) => t.id)).toEqual([taskId]);
      expect(tasks.data[0]).toMatchObject({ status: BackgroundTaskStatus.Finished, task: BackgroundTaskType.EndpointRecover });
      expect((await client.backgroundTask.list({ status: BackgroundTaskStatus.Running })).data).toEqual([]);
      expect((await client.backgroundTask.list({ task: BackgroundTaskType.EndpointReplay })).data).toEqual([]);
      const task = await client.backgroundTask.get(taskId);
      expect(task).toMatchObject({ id: taskId, status: BackgroundTaskStatus.Finished, task: BackgroundTaskType.EndpointRecover, data: { endpointId, state: "finished" } });
      expect(task.updatedAt).toBeInstanceOf(Date);
      expect(Number.isNaN(task.updatedAt.getTime())).toBe(false);

      // Errors surface as ApiException with the HTTP status and our stable code.
      // Thunks: each call starts only when awaited (a rejection nobody awaits yet fails the spec).
      const cases: [() => Promise<unknown>, number, string][] = [
        [() => client.message.get(org.slug, "msg_0000000000000000000000"), 404, "not_found"],
        [() => client.message.get(other.slug, first.id), 403, "forbidden"],
        [() => otherClient.message.get(other.slug, first.id), 404, "not_found"],
        [() => client.message.list(org.slug, { limit: 0 }), 422, "invalid_query"],
        [() => client.message.list(org.slug, { channel: "project_1" }), 422, "invalid_query"],
        [() => client.messageAttempt.listByEndpoint(org.slug, "ep_0000000000000000000000"), 404, "not_found"],
        [() => client.messageAttempt.get(org.slug, first.id, "att_nope"), 404, "not_found"],
        [() => client.messageAttempt.listAttemptedDestinations(org.slug, "order-404"), 404, "not_found"],
        [() => client.messageAttempt.resend(org.slug, "msg_0000000000000000000000", endpointId), 404, "not_found"],
        [() => client.backgroundTask.get(otherTaskId), 404, "not_found"],
        [() => svix("hr_org_nope").message.list(org.slug), 401, "unauthorized"],
      ];
      for (const [call, status, code] of cases) {
        const error = await apiFailure(call());
        expect([error.code, error.body.code], call.toString()).toEqual([status, code]);
      }
      expect((await apiFailure(client.message.list(org.slug, { limit: 0 }))).body.detail).toEqual([expect.objectContaining({ loc: ["query", "limit"] })]);
    } finally {
      await receiver.close();
    }
  });

  test("pages through 250 messages with the iterator, each once, done at the end", async ({ data }) => {
    test.setTimeout(120_000);
    const org = await data.createOrg({ webhooksEnabled: true });
    const client = svix(await createKey(data, org.id));
    const sent: string[] = [];
    // Concurrently in bounded batches: fast without flooding two shared cores.
    for (let batch = 0; batch < 10; batch++) {
      const created = await Promise.all(Array.from({ length: 25 }, (_, i) => client.message.create(org.slug, { eventType: "contract.created", payload: { ...payload, n: batch * 25 + i } })));
      sent.push(...created.map((m) => m.id));
    }

    const seen: string[] = [];
    let iterator: string | null | undefined = undefined;
    let pages = 0;
    for (;;) {
      const page = await client.message.list(org.slug, { limit: 40, iterator });
      seen.push(...page.data.map((m) => m.id));
      pages++;
      if (page.done) {
        // Svix's iterator: the last message's id, on the last page too.
        expect(page.iterator).toBe(page.data.at(-1)?.id);
        break;
      }
      expect(pages).toBeLessThan(10);
      iterator = page.iterator;
    }
    expect(pages).toBe(7);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect([...seen].sort()).toEqual([...sent].sort());
  });
});
