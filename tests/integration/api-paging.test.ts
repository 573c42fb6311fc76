import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listAttemptsByEndpoint } from "@/app/api/v1/app/[app_id]/attempt/endpoint/[endpoint_id]/route";
import { GET as listAttemptsByMsg } from "@/app/api/v1/app/[app_id]/attempt/msg/[msg_id]/route";
import { GET as listAttemptedMessages } from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/msg/route";
import { GET as listEndpoints } from "@/app/api/v1/app/[app_id]/endpoint/route";
import { GET as listDestinations } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/endpoint/route";
import { GET as listMessages } from "@/app/api/v1/app/[app_id]/msg/route";
import { GET as listApplications } from "@/app/api/v1/app/route";
import { GET as listTasks } from "@/app/api/v1/background-task/route";
import { GET as listEventTypes } from "@/app/api/v1/event-type/route";
import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { encodeCursor, type Position } from "@/lib/db/keyset";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { ids as newIds } from "@/lib/ids";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { createOrg, createUser } from "@/tests/helpers/factories";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * Svix's paging on every list of the API, one table of lists through the same walk: forward to
 * the end with `iterator`, back with `prevIterator`, resuming from a stored id, polling for newer
 * items with `-<id>` after more arrive, `order=ascending` where Svix has it, ids the list does not
 * hold, and the opaque iterators this API handed out before it answered ids. Rows are written
 * straight to the database at fixed times, so every order is exact.
 */

setTestEncryptionKey();

type Item = { id: string; position: Position };
type Json = { status: number; code?: string; detail?: unknown; data: { id?: string; name?: string }[]; iterator: string | null; prevIterator: string | null; done: boolean };
type Handler = (request: Request) => Promise<Response> | Response;

const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const hex = () => randomBytes(16).toString("hex");

async function get(handler: Handler, path: string, key: string): Promise<Json> {
  const response = await handler(new Request(`http://127.0.0.1${path}`, { headers: { authorization: `Bearer ${key}` } }));
  return { status: response.status, ...((await response.json()) as Omit<Json, "status">) };
}

const idsOf = (page: Json) => page.data.map((item) => item.id ?? item.name);

let actor: { id: string; email: string };

async function orgWithKey() {
  const org = await createOrg({ webhooksEnabled: true });
  const key = (await createApiKey({ name: "paging", scope: "ORGANIZATION", organizationId: org.id, createdById: actor.id })).key;
  return { org, key };
}

async function endpointAt(organizationId: string, createdAt: Date) {
  const created = await createEndpoint(organizationId, endpointConfigSchema.parse({ url: "http://127.0.0.1:9/hook", eventTypes: ["contract.created"], rateLimit: "" }), actor);
  if (!created.ok) throw new Error(created.message);
  await db.endpoint.update({ where: { id: created.id }, data: { createdAt } });
  return created.id;
}

async function messageAt(organizationId: string, createdAt: Date) {
  const id = newIds.message.generate();
  await db.message.create({ data: { id, organizationId, eventType: "contract.created", body: "{}", createdAt } });
  return id;
}

async function deliveryAt(organizationId: string, messageId: string, endpointId: string, createdAt: Date) {
  const id = `dlv_${hex()}`;
  await db.delivery.create({ data: { id, organizationId, messageId, endpointId, status: "SUCCEEDED", createdAt } });
  return id;
}

async function attemptAt(delivery: { id: string; messageId: string; endpointId: string }, attemptNumber: number, startedAt: Date) {
  const id = `atmpt_${hex()}`;
  await db.attempt.create({
    data: { id, deliveryId: delivery.id, messageId: delivery.messageId, endpointId: delivery.endpointId, attemptNumber, trigger: "SCHEDULED", url: "http://127.0.0.1:9/hook", startedAt, durationMs: 5, succeeded: true, statusCode: 200 },
  });
  return id;
}

async function taskAt(organizationId: string, createdAt: Date) {
  const id = newIds.task.generate();
  await db.backgroundTask.create({ data: { id, organizationId, kind: "RESEND_FAILED", params: {}, status: "FINISHED", createdBy: "paging@example.test", createdAt } });
  return id;
}

/** One list of the API, set up in its own organization. */
interface ListCase {
  handler: Handler;
  path: string;
  key: string;
  /** The list's own order: newest first, or ascending (attempted destinations). */
  order: "desc" | "asc";
  /** Whether it takes Svix's `order`. */
  ordered: boolean;
  /** Adds the list's item at time `at(n)`. */
  add: (n: number) => Promise<Item>;
  /** Ids the list does not hold: one of another kind, one of the right kind that exists nowhere, and an existing one of another scope (organization, endpoint, message). */
  wrongKind: string;
  unknown: string;
  notInList: string;
}

const cases: Record<string, () => Promise<ListCase>> = {
  messages: async () => {
    const { org, key } = await orgWithKey();
    const foreign = await orgWithKey();
    return {
      handler: listMessages,
      path: `/api/v1/app/${org.slug}/msg`,
      key,
      order: "desc",
      ordered: false,
      add: async (n) => {
        const id = await messageAt(org.id, at(n));
        return { id, position: { at: at(n), id } };
      },
      wrongKind: newIds.endpoint.generate(),
      unknown: newIds.message.generate(),
      notInList: await messageAt(foreign.org.id, at(1)),
    };
  },
  "attempts by endpoint": async () => {
    const { org, key } = await orgWithKey();
    const endpointId = await endpointAt(org.id, at(0));
    const messageId = await messageAt(org.id, at(0));
    const delivery = { id: await deliveryAt(org.id, messageId, endpointId, at(0)), messageId, endpointId };
    const elsewhere = await endpointAt(org.id, at(0));
    const otherDelivery = { id: await deliveryAt(org.id, messageId, elsewhere, at(0)), messageId, endpointId: elsewhere };
    return {
      handler: listAttemptsByEndpoint,
      path: `/api/v1/app/${org.slug}/attempt/endpoint/${endpointId}`,
      key,
      order: "desc",
      ordered: false,
      add: async (n) => {
        const id = await attemptAt(delivery, n + 1, at(n));
        return { id, position: { at: at(n), id } };
      },
      wrongKind: messageId,
      unknown: `atmpt_${hex()}`,
      notInList: await attemptAt(otherDelivery, 1, at(1)),
    };
  },
  "attempts by message": async () => {
    const { org, key } = await orgWithKey();
    const endpointId = await endpointAt(org.id, at(0));
    const messageId = await messageAt(org.id, at(0));
    const delivery = { id: await deliveryAt(org.id, messageId, endpointId, at(0)), messageId, endpointId };
    const otherMessage = await messageAt(org.id, at(0));
    const otherDelivery = { id: await deliveryAt(org.id, otherMessage, endpointId, at(0)), messageId: otherMessage, endpointId };
    return {
      handler: listAttemptsByMsg,
      path: `/api/v1/app/${org.slug}/attempt/msg/${messageId}`,
      key,
      order: "desc",
      ordered: false,
      add: async (n) => {
        const id = await attemptAt(delivery, n + 1, at(n));
        return { id, position: { at: at(n), id } };
      },
      wrongKind: endpointId,
      unknown: `atmpt_${hex()}`,
      notInList: await attemptAt(otherDelivery, 1, at(1)),
    };
  },
  "attempted messages": async () => {
    const { org, key } = await orgWithKey();
    const endpointId = await endpointAt(org.id, at(0));
    return {
      handler: listAttemptedMessages,
      path: `/api/v1/app/${org.slug}/endpoint/${endpointId}/msg`,
      key,
      order: "desc",
      ordered: false,
      add: async (n) => {
        const id = await messageAt(org.id, at(n));
        return { id, position: { at: at(n), id: await deliveryAt(org.id, id, endpointId, at(n)) } };
      },
      wrongKind: endpointId,
      unknown: newIds.message.generate(),
      // A message of the organization that was never sent to this endpoint.
      notInList: await messageAt(org.id, at(1)),
    };
  },
  "attempted destinations": async () => {
    const { org, key } = await orgWithKey();
    const messageId = await messageAt(org.id, at(0));
    return {
      handler: listDestinations,
      path: `/api/v1/app/${org.slug}/msg/${messageId}/endpoint`,
      key,
      order: "asc",
      ordered: false,
      add: async (n) => {
        const id = await endpointAt(org.id, at(n));
        await deliveryAt(org.id, messageId, id, at(n));
        return { id, position: { at: at(n), id } };
      },
      wrongKind: messageId,
      unknown: newIds.endpoint.generate(),
      // An endpoint of the organization the message was not sent to.
      notInList: await endpointAt(org.id, at(1)),
    };
  },
  endpoints: async () => {
    const { org, key } = await orgWithKey();
    const foreign = await orgWithKey();
    return {
      handler: listEndpoints,
      path: `/api/v1/app/${org.slug}/endpoint`,
      key,
      order: "desc",
      ordered: true,
      add: async (n) => {
        const id = await endpointAt(org.id, at(n));
        return { id, position: { at: at(n), id } };
      },
      wrongKind: await messageAt(org.id, at(0)),
      unknown: newIds.endpoint.generate(),
      notInList: await endpointAt(foreign.org.id, at(1)),
    };
  },
  "background tasks": async () => {
    const { org, key } = await orgWithKey();
    const foreign = await orgWithKey();
    return {
      handler: listTasks,
      path: "/api/v1/background-task",
      key,
      order: "desc",
      ordered: true,
      add: async (n) => {
        const id = await taskAt(org.id, at(n));
        return { id, position: { at: at(n), id } };
      },
      wrongKind: await messageAt(org.id, at(0)),
      unknown: newIds.task.generate(),
      notInList: await taskAt(foreign.org.id, at(1)),
    };
  },
};

beforeAll(async () => {
  await ensureCatalog();
  const user = await createUser();
  actor = { id: user.id, email: user.email };
}, 60_000);

const refusedIterator = { status: 422, code: "invalid_query", detail: [{ loc: ["query", "iterator"], msg: expect.any(String), type: "value_error" }] };

describe.each(Object.keys(cases))("%s", (name) => {
  let list: ListCase;
  /** The five first items in the list's order. */
  let listed: Item[];
  const page = (query: string) => get(list.handler, `${list.path}?${query}`, list.key);

  beforeAll(async () => {
    list = await cases[name]!();
    const items: Item[] = [];
    for (let n = 0; n < 5; n++) items.push(await list.add(n));
    listed = list.order === "desc" ? [...items].reverse() : items;
  }, 60_000);

  it("walks forward to the end with iterator (the last item's id) and back with prevIterator (- and the first's)", async () => {
    const forward: Json[] = [];
    let iterator = "";
    for (let n = 0; n < 10; n++) {
      const answer = await page(`limit=2${iterator ? `&iterator=${iterator}` : ""}`);
      expect(answer.status).toBe(200);
      forward.push(answer);
      const first = idsOf(answer)[0];
      const last = idsOf(answer).at(-1);
      expect(answer).toMatchObject({ iterator: last, prevIterator: `-${first}` });
      if (answer.done) break;
      iterator = answer.iterator!;
    }
    expect(forward.map(idsOf)).toEqual([listed.slice(0, 2), listed.slice(2, 4), listed.slice(4)].map((items) => items.map((i) => i.id)));
    expect(forward.map((p) => p.done)).toEqual([false, false, true]);

    const back: Json[] = [];
    let prev = forward.at(-1)!.prevIterator!;
    for (let n = 0; n < 10; n++) {
      const answer = await page(`limit=2&iterator=${prev}`);
      back.push(answer);
      if (answer.done) break;
      prev = answer.prevIterator!;
    }
    expect(back.map(idsOf)).toEqual([forward[1], forward[0]].map(idsOf));
    expect(back.map((p) => p.done)).toEqual([false, true]);
  });

  it("resumes from a stored id, either way", async () => {
    const [x0, x1, x2, x3, x4] = listed.map((i) => i.id);
    expect(await page(`limit=2&iterator=${x1}`)).toMatchObject({ data: [{}, {}], done: false, iterator: x3, prevIterator: `-${x2}` });
    expect(idsOf(await page(`limit=2&iterator=${x1}`))).toEqual([x2, x3]);
    const rest = await page(`iterator=${x1}`);
    expect(idsOf(rest)).toEqual([x2, x3, x4]);
    expect(rest.done).toBe(true);
    const before = await page(`iterator=-${x3}`);
    expect(idsOf(before)).toEqual([x0, x1, x2]);
    expect(before.done).toBe(true);
    expect(idsOf(await page(`limit=1&iterator=-${x3}`))).toEqual([x2]);
    expect(await page(`iterator=${x4}`)).toMatchObject({ data: [], iterator: null, prevIterator: null, done: true });
  });

  it("refuses an id the list does not hold, an id of another kind and a mangled iterator with 422 at query.iterator", async () => {
    for (const iterator of [list.notInList, `-${list.notInList}`, list.wrongKind, `-${list.wrongKind}`, list.unknown, `-${list.unknown}`, "-", "BAD-$$$ITERATOR", encodeCursor({ direction: "next", at: at(1), id: "x" }).slice(0, 20)]) {
      expect(await page(`iterator=${encodeURIComponent(iterator)}`), iterator).toMatchObject(refusedIterator);
    }
  });

  it("still reads the opaque iterators it handed out before, as the rows they named then (newest first)", async () => {
    const [, x1, , x3] = listed;
    // In a newest-first list the older rows follow an item; in an ascending one they precede it.
    const older = (item: Item) => (list.order === "desc" ? item.id : `-${item.id}`);
    const newer = (item: Item) => (list.order === "desc" ? `-${item.id}` : item.id);
    const oldNext = await page(`limit=2&iterator=${encodeCursor({ direction: "next", ...x1!.position })}`);
    const byId = await page(`limit=2&iterator=${older(x1!)}`);
    expect(idsOf(oldNext)).toEqual(idsOf(byId));
    expect(oldNext).toEqual(byId);
    const oldPrev = await page(`iterator=${encodeCursor({ direction: "prev", ...x3!.position })}`);
    expect(oldPrev).toEqual(await page(`iterator=${newer(x3!)}`));
    expect(idsOf(oldNext).length).toBeGreaterThan(0);
    expect(idsOf(oldPrev).length).toBeGreaterThan(0);
  });

  it("answers order=ascending oldest first, paging both ways, where Svix has order (and ignores it elsewhere, as Svix)", async () => {
    const answer = await page("order=ascending&limit=2");
    if (!list.ordered) {
      expect(idsOf(answer)).toEqual(listed.slice(0, 2).map((i) => i.id));
      return;
    }
    const oldestFirst = [...listed].reverse().map((i) => i.id);
    expect(idsOf(answer)).toEqual(oldestFirst.slice(0, 2));
    expect(answer).toMatchObject({ done: false, iterator: oldestFirst[1], prevIterator: `-${oldestFirst[0]}` });
    const next = await page(`order=ascending&limit=2&iterator=${answer.iterator}`);
    expect(idsOf(next)).toEqual(oldestFirst.slice(2, 4));
    const last = await page(`order=ascending&limit=2&iterator=${next.iterator}`);
    expect(last).toMatchObject({ done: true, iterator: oldestFirst[4] });
    const back = await page(`order=ascending&limit=2&iterator=${last.prevIterator}`);
    expect(idsOf(back)).toEqual(oldestFirst.slice(2, 4));
    expect(back.done).toBe(false);
    const front = await page(`order=ascending&limit=2&iterator=${back.prevIterator}`);
    expect(idsOf(front)).toEqual(oldestFirst.slice(0, 2));
    expect(front.done).toBe(true);
    expect(idsOf(await page("order=descending"))).toEqual(listed.map((i) => i.id));
    expect(await page("order=sideways")).toMatchObject({ status: 422, code: "invalid_query", detail: [{ loc: ["query", "order"] }] });
  });

  // Last: it adds items.
  it("polls for newer items: only those after the stored id, in the list's order, done once none is left", async () => {
    const newest = list.order === "desc" ? listed[0]! : listed.at(-1)!;
    // Newer items precede the newest in a newest-first list (read with -<id>) and follow it in an ascending one.
    const poll = (id: string, query = "") => page(`${query}iterator=${list.order === "desc" ? `-${id}` : id}`);
    const nextPoll = (answer: Json) => (list.order === "desc" ? answer.prevIterator!.slice(1) : answer.iterator!);
    expect(await poll(newest.id)).toMatchObject({ status: 200, data: [], iterator: null, prevIterator: null, done: true });

    const added: string[] = [];
    for (let n = 5; n < 8; n++) added.push((await list.add(n)).id);
    const inOrder = (ids: string[]) => (list.order === "desc" ? [...ids].reverse() : ids);

    const first = await poll(newest.id, "limit=2&");
    expect(idsOf(first)).toEqual(inOrder(added.slice(0, 2)));
    expect(first.done).toBe(false);
    const second = await poll(nextPoll(first), "limit=2&");
    expect(idsOf(second)).toEqual(added.slice(2));
    expect(second.done).toBe(true);
    expect(await poll(nextPoll(second), "limit=2&")).toMatchObject({ data: [], done: true });
    // The whole list has them at its newest end.
    const everything = idsOf(await page("limit=250"));
    expect(list.order === "desc" ? everything.slice(0, 3) : everything.slice(-3)).toEqual(inOrder(added));
  });
});

describe("a time window with after alone, as Svix reads it", () => {
  it("answers the window's oldest page first (newest first within it); prevIterator walks forward from there", async () => {
    const { org, key } = await orgWithKey();
    const endpointId = await endpointAt(org.id, at(0));
    const messages: string[] = [];
    const attempts: string[] = [];
    for (let n = 0; n < 6; n++) {
      const messageId = await messageAt(org.id, at(n));
      messages.push(messageId);
      const deliveryId = await deliveryAt(org.id, messageId, endpointId, at(n));
      attempts.push(await attemptAt({ id: deliveryId, messageId, endpointId }, 1, at(n)));
    }
    const lists: [Handler, string, string[]][] = [
      [listMessages, `/api/v1/app/${org.slug}/msg`, messages],
      [listAttemptsByEndpoint, `/api/v1/app/${org.slug}/attempt/endpoint/${endpointId}`, attempts],
      [listAttemptedMessages, `/api/v1/app/${org.slug}/endpoint/${endpointId}/msg`, messages],
    ];
    for (const [handler, path, items] of lists) {
      // after is inclusive: items 2 … 5 are in the window.
      const first = await get(handler, `${path}?limit=2&after=${at(2).toISOString()}`, key);
      expect(idsOf(first), path).toEqual([items[3], items[2]]);
      expect(first, path).toMatchObject({ done: false, iterator: items[2], prevIterator: `-${items[3]}` });
      const next = await get(handler, `${path}?limit=2&after=${at(2).toISOString()}&iterator=${first.prevIterator}`, key);
      expect(idsOf(next), path).toEqual([items[5], items[4]]);
      expect(next.done, path).toBe(true);
      // The same spelled since; with before too, the window is read newest first as usual.
      expect(idsOf(await get(handler, `${path}?limit=2&since=${at(2).toISOString()}`, key)), path).toEqual([items[3], items[2]]);
      expect(idsOf(await get(handler, `${path}?limit=2&after=${at(2).toISOString()}&before=${at(9).toISOString()}`, key)), path).toEqual([items[5], items[4]]);
    }
  });

  it("places an id iterator in the list whatever the filters: a message outside the filter is still a position", async () => {
    const { org, key } = await orgWithKey();
    const created = await messageAt(org.id, at(1));
    const offer = newIds.message.generate();
    await db.message.create({ data: { id: offer, organizationId: org.id, eventType: "offer.accepted", body: "{}", createdAt: at(2) } });
    const later = await messageAt(org.id, at(3));
    const path = `/api/v1/app/${org.slug}/msg?event_types=contract.created`;
    expect(idsOf(await get(listMessages, `${path}&iterator=${offer}`, key))).toEqual([created]);
    expect(idsOf(await get(listMessages, `${path}&iterator=-${offer}`, key))).toEqual([later]);
  });
});

describe("applications (every organization, for a platform key)", () => {
  // Dated in 2000, before anything else the test database holds: they end the newest-first list
  // however many organizations other files add meanwhile.
  const dated = (n: number) => new Date(Date.UTC(2000, 0, 1 + n));
  const orgs: { id: string; createdAt: Date }[] = [];
  let platformKey: string;
  const apps = (query: string, key = platformKey) => get(listApplications, `/api/v1/app?${query}`, key);

  beforeAll(async () => {
    platformKey = (await createApiKey({ name: "paging platform", scope: "PLATFORM", organizationId: null, createdById: actor.id })).key;
    for (let n = 0; n < 4; n++) {
      const org = await createOrg();
      orgs.push(await db.organization.update({ where: { id: org.id }, data: { createdAt: dated(n) }, select: { id: true, createdAt: true } }));
    }
  });

  it("resumes from a stored id to the end of the list, reads back with -<id>, and polls for a newer one", async () => {
    const [o0, o1, o2, o3] = orgs.map((o) => o.id);
    expect(await apps(`iterator=${o3}`)).toMatchObject({ data: [{ id: o2 }, { id: o1 }, { id: o0 }], iterator: o0, prevIterator: `-${o2}`, done: true });
    // Newer organizations exist (this file's own), so reading back is not done.
    expect(await apps(`limit=3&iterator=-${o0}`)).toMatchObject({ data: [{ id: o3 }, { id: o2 }, { id: o1 }], done: false });
    const org = await createOrg();
    await db.organization.update({ where: { id: org.id }, data: { createdAt: dated(10) } });
    expect(idsOf(await apps(`limit=1&iterator=-${o3}`))).toEqual([org.id]);
  });

  it("answers order=ascending oldest first, both ways", async () => {
    const [o0, o1, o2, o3] = orgs.map((o) => o.id);
    expect(await apps("order=ascending&limit=2")).toMatchObject({ data: [{ id: o0 }, { id: o1 }], iterator: o1, prevIterator: `-${o0}`, done: false });
    expect(idsOf(await apps(`order=ascending&limit=2&iterator=${o1}`))).toEqual([o2, o3]);
    expect(await apps(`order=ascending&iterator=-${o2}`)).toMatchObject({ data: [{ id: o0 }, { id: o1 }], done: true });
  });

  it("reads an opaque iterator it handed out before as the organizations it named (older ones)", async () => {
    const [o0, o1, o2, o3] = orgs;
    expect(idsOf(await apps(`iterator=${encodeCursor({ direction: "next", at: o3!.createdAt, id: o3!.id })}`))).toEqual([o2, o1, o0].map((o) => o!.id));
    expect(idsOf(await apps(`order=ascending&iterator=${encodeCursor({ direction: "next", at: o1!.createdAt, id: o1!.id })}`))).toEqual([o0!.id]);
  });

  it("refuses an unknown id; an organization key pages its own organization only", async () => {
    expect(await apps("iterator=cnosuchorganization000000")).toMatchObject(refusedIterator);
    const { org, key } = await orgWithKey();
    expect(await apps("", key)).toMatchObject({ data: [{ id: org.id }], iterator: org.id, prevIterator: `-${org.id}`, done: true });
    expect(await apps(`iterator=${org.id}`, key)).toMatchObject({ data: [], done: true });
    expect(await apps(`iterator=-${org.id}`, key)).toMatchObject({ data: [], done: true });
    // Another organization's id is not in this key's list (and says nothing about whether it exists).
    expect(await apps(`iterator=${orgs[0]!.id}`, key)).toMatchObject(refusedIterator);
  });
});

describe("event types (the shared catalog; the iterator is a name)", () => {
  // Archived and dated in 2000: the oldest of the catalog with include_archived, absent without it.
  const names = [0, 1, 2, 3].map((n) => `paging${hex().slice(0, 10)}.n${n}`);
  const types = (query: string) => get(listEventTypes, `/api/v1/event-type?${query}`, platformKey);
  let platformKey: string;

  beforeAll(async () => {
    platformKey = (await createApiKey({ name: "paging catalog", scope: "PLATFORM", organizationId: null, createdById: actor.id })).key;
    for (const [n, name] of names.entries()) {
      await db.eventType.create({
        data: { name, group: name.split(".")[0]!, description: "paging", schema: { type: "object" }, examples: [{ name: "one", payload: {} }], archivedAt: new Date(), createdAt: new Date(Date.UTC(2000, 0, 1 + n)) },
      });
    }
  });

  it("resumes from a stored name both ways, ascending too, and reads an opaque iterator it handed out before", async () => {
    const [e0, e1, e2, e3] = names;
    expect(await types(`include_archived=true&iterator=${e3}`)).toMatchObject({ data: [{ name: e2 }, { name: e1 }, { name: e0 }], iterator: e0, prevIterator: `-${e2}`, done: true });
    expect(idsOf(await types(`include_archived=true&limit=2&iterator=-${e1}`))).toEqual([e3, e2]);
    expect(await types("include_archived=true&order=ascending&limit=2")).toMatchObject({ data: [{ name: e0 }, { name: e1 }], iterator: e1, done: false });
    expect(idsOf(await types(`include_archived=true&order=ascending&iterator=-${e2}`))).toEqual([e0, e1]);
    expect(idsOf(await types(`include_archived=true&iterator=${encodeCursor({ direction: "next", at: new Date(Date.UTC(2000, 0, 3)), id: e2! })}`))).toEqual([e1, e0]);
    // Archived types are left out without include_archived, and still have their place.
    expect(await types(`iterator=${e3}`)).toMatchObject({ data: [], done: true });
    expect(await types("iterator=paging.nosuchtype")).toMatchObject(refusedIterator);
  });
});
