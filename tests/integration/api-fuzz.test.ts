import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as endpointRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/route";
import * as headersRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/headers/route";
import * as endpointsRoute from "@/app/api/v1/app/[app_id]/endpoint/route";
import * as messagesRoute from "@/app/api/v1/app/[app_id]/msg/route";
import * as typeRoute from "@/app/api/v1/event-type/[event_type_name]/route";
import * as typesRoute from "@/app/api/v1/event-type/route";
import { plainApiHandler } from "@/lib/api/v1/node";
import { operations } from "@/lib/api/v1/registry";
import { configHeaders } from "@/lib/http/config-headers";
import { db } from "@/lib/db";
import { callRoute, organizationKey, platformKey } from "@/tests/helpers/api-v1";
import { createOrg } from "@/tests/helpers/factories";
import { setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * Property tests of the API's writes against hostile JSON (issue 24, item 7): NUL and other
 * control characters, lone surrogates, deep nesting, huge numbers, duplicate keys, odd content
 * types and charsets, invalid UTF-8. Whatever is sent, the answer is a 2xx or a 4xx with a `code`,
 * never a 5xx, and a refused write stores nothing. Runs are bounded and seeded so the file takes
 * seconds; a failure prints the seed and the shrunk case (`FUZZ_SEED=<n>` replays it).
 */

setTestEncryptionKey();

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = 120;
const params = { seed: SEED, numRuns: RUNS, endOnFailure: true } as const;

// ---------------------------------------------------------------------------------------------
// A JSON document that may be malformed on purpose, serialised by hand so it can hold what
// JSON.stringify never writes (huge number literals, repeated keys) and bytes that are not UTF-8.
// ---------------------------------------------------------------------------------------------

type Doc = { kind: "raw"; text: string } | { kind: "str"; value: string } | { kind: "arr"; items: Doc[] } | { kind: "obj"; entries: [string, Doc][] };

const raw = (text: string): Doc => ({ kind: "raw", text });
const str = (value: string): Doc => ({ kind: "str", value });
const obj = (entries: [string, Doc][]): Doc => ({ kind: "obj", entries });

/** Placeholder replaced by invalid UTF-8 bytes once the text is encoded. */
const BAD_BYTES_MARK = "\u0001@@bad-bytes@@\u0001";

function serialise(doc: Doc): string {
  // Iterative: deep nesting is one of the cases.
  const out: string[] = [];
  const stack: (Doc | string)[] = [doc];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (typeof next === "string") out.push(next);
    else if (next.kind === "raw") out.push(next.text);
    else if (next.kind === "str") out.push(JSON.stringify(next.value).replace(JSON.stringify(BAD_BYTES_MARK).slice(1, -1), BAD_BYTES_MARK));
    else if (next.kind === "arr") {
      stack.push("]");
      next.items.toReversed().forEach((item, i) => stack.push(...(i === 0 ? [] : [","]), item));
      stack.push("[");
    } else {
      stack.push("}");
      next.entries.toReversed().forEach(([key, value], i) => stack.push(...(i === 0 ? [] : [","]), value, `${JSON.stringify(key)}:`));
      stack.push("{");
    }
  }
  return out.join("");
}

const SPECIAL_UNITS = ["\u0000", "\u0001", "\u0008", "\t", "\n", "\u001b", "\u001f", "\u007f", "\u0085", "\u2028", "\ufeff", "\ufffd", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d\ude00", "\\", "\"", "'", "<", "%00", "\\u0000", BAD_BYTES_MARK];

/** Text mixing ordinary characters with control characters, NUL, surrogate halves and escapes. */
const nastyText = fc.array(fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 6 }) }, { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_UNITS) }), { maxLength: 5 }).map((parts) => parts.join(""));
const plainText = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const anyText = fc.oneof({ weight: 1, arbitrary: nastyText }, { weight: 2, arbitrary: plainText });

const HUGE_NUMBERS = ["1e400", "-1e400", "1e-400", "123456789012345678901234567890123456789", "-0", "9007199254740993", "0.1e1", "1E+2"];
/** Literals JSON.parse refuses: the answer must be 400 `invalid_json`. */
const INVALID_LITERALS = ["NaN", "Infinity", "01", "1.", ".5", "0x10", "\"\\x41\"", "\"\\u12\"", "'single'", "undefined"];

const leaf: fc.Arbitrary<Doc> = fc.oneof(
  { weight: 4, arbitrary: anyText.map(str) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noDefaultInfinity: true, noNaN: true })).map((n) => raw(JSON.stringify(n))) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_NUMBERS).map(raw) },
  { weight: 1, arbitrary: fc.constantFrom("true", "false", "null").map(raw) },
);

const deep = fc.tuple(fc.constantFrom(2, 40, 1000, 20_000), fc.boolean(), leaf).map(([depth, arrays, inner]) => {
  let doc = inner;
  for (let i = 0; i < depth; i++) doc = arrays ? { kind: "arr", items: [doc] } : obj([["d", doc]]);
  // As text, so that fast-check can print a failing case without recursing 20,000 levels.
  return raw(serialise(doc));
});

const value: fc.Arbitrary<Doc> = fc.letrec<{ value: Doc }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 3 }).map((items): Doc => ({ kind: "arr", items })),
    fc.array(fc.tuple(anyText, tie("value")), { maxLength: 3 }).map(obj),
  ),
})).value;

/** A JSON object whose keys may repeat (the parser keeps the last) and whose values are anything. */
const payloadDoc = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(anyText, fc.oneof(value, deep)), { maxLength: 4 }).map(obj) },
  { weight: 1, arbitrary: fc.tuple(anyText, value, value).map(([key, a, b]) => obj([[key, a], [key, b]])) },
  { weight: 1, arbitrary: fc.tuple(anyText, fc.constantFrom(...INVALID_LITERALS)).map(([key, literal]) => obj([[key, raw(literal)]])) },
);

/** A flat map of text to text (metadata, headers), sometimes with a value that is not text. */
const textMapDoc = fc.array(fc.tuple(anyText, fc.oneof({ weight: 5, arbitrary: anyText.map(str) }, { weight: 1, arbitrary: leaf })), { maxLength: 3 }).map(obj);

// ---------------------------------------------------------------------------------------------
// Transports: how the document reaches the server.
// ---------------------------------------------------------------------------------------------

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=UTF-16",
  "application/json; charset=iso-8859-1",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "",
];
const INVALID_UTF8 = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80]];

interface Transport {
  contentType: string;
  encoding: "utf8" | "utf8-bom" | "utf16le" | "latin1";
  badBytes: number[];
}

const transport: fc.Arbitrary<Transport> = fc.record({
  contentType: fc.constantFrom(...CONTENT_TYPES),
  encoding: fc.oneof({ weight: 6, arbitrary: fc.constant("utf8" as const) }, { weight: 1, arbitrary: fc.constantFrom("utf8-bom" as const, "utf16le" as const, "latin1" as const) }),
  badBytes: fc.constantFrom(...INVALID_UTF8),
});

function encode(text: string, how: Transport): Uint8Array<ArrayBuffer> {
  const parts = text.split(BAD_BYTES_MARK);
  const chunks: Buffer[] = [];
  if (how.encoding === "utf8-bom") chunks.push(Buffer.from([0xef, 0xbb, 0xbf]));
  const codec = how.encoding === "utf16le" ? "utf16le" : how.encoding === "latin1" ? "latin1" : "utf8";
  parts.forEach((part, i) => {
    if (i > 0) chunks.push(Buffer.from(how.badBytes));
    chunks.push(Buffer.from(part, codec));
  });
  return new Uint8Array(Buffer.concat(chunks));
}

type Route = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", (request: Request) => Promise<Response> | Response>>;

interface Outcome {
  status: number;
  code: unknown;
  text: string;
}

async function send(route: Route, method: "POST" | "PUT" | "PATCH", path: string, key: string, body: Doc, how: Transport): Promise<Outcome> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (how.contentType) headers["content-type"] = how.contentType;
  const request = new Request(`http://127.0.0.1${path}`, { method, headers, body: encode(serialise(body), how) });
  const response = await route[method]!(request);
  const text = await response.text();
  let code: unknown = undefined;
  try {
    code = (JSON.parse(text) as { code?: unknown }).code;
  } catch {
    // A body that is not JSON has no code: the assertion below reports it.
  }
  return { status: response.status, code, text };
}

/** Every answer is a 2xx, or a 4xx that says why in a `code`. */
function expectHandled(outcome: Outcome, sent: string): void {
  const summary = `${outcome.status} ${outcome.text.slice(0, 300)}\nsent: ${JSON.stringify(sent.slice(0, 300))}\nseed: FUZZ_SEED=${SEED}`;
  expect(outcome.status, summary).toBeLessThan(500);
  if (outcome.status >= 400) expect(typeof outcome.code, summary).toBe("string");
  else expect(outcome.status, summary).toBeGreaterThanOrEqual(200);
}

const refused = (outcome: Outcome) => outcome.status >= 400;

// ---------------------------------------------------------------------------------------------

let platform: string;
let eventType: string;

beforeAll(async () => {
  platform = await platformKey();
  // A type whose schema accepts any object, so fuzzed payloads reach the store instead of stopping at the schema.
  eventType = `fuzz${randomUUID().replace(/-/g, "").slice(0, 10)}.happened`;
  const created = await callRoute(typesRoute, "POST", "/api/v1/event-type", platform, { name: eventType, description: "Anything", schemas: { "1": { type: "object", examples: [{}] } } });
  expect(created.status).toBe(201);
});

async function organization() {
  const org = await createOrg({ webhooksEnabled: true });
  return { org, key: await organizationKey(org.id) };
}

describe("API writes under hostile JSON", () => {
  it("a NUL in a message payload is a 422 naming where it is, and stores nothing", async () => {
    const { org, key } = await organization();
    const eventId = `nul-${randomUUID()}`;
    const answer = await callRoute(messagesRoute, "POST", `/api/v1/app/${org.slug}/msg`, key, { eventType, eventId, payload: { note: "a\u0000b", list: [1, { deeper: "\u0000" }] } });
    expect(answer.status).toBe(422);
    expect(await answer.json()).toMatchObject({ code: "invalid_body", detail: [{ loc: ["body", "payload", "note"], type: "value_error", msg: expect.stringContaining("NUL") }] });
    expect(await db.message.count({ where: { organizationId: org.id, eventId } })).toBe(0);
  });

  it("the plain Node path of scripts/serve.ts answers the same 422 (it shares runOperation)", async () => {
    const { org, key } = await organization();
    const create = operations.find((op) => op.operationId === "v1.message.create")!;
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const handler = plainApiHandler([create], { port, headers: configHeaders([]), compress: false });
    server.on("request", (req, res) => {
      if (!handler(req, res)) res.writeHead(404).end();
    });
    try {
      const eventId = `nul-${randomUUID()}`;
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/app/${org.slug}/msg`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ eventType, eventId, payload: { note: "a\u0000b" } }),
      });
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ code: "invalid_body", detail: [{ loc: ["body", "payload", "note"] }] });
      expect(await db.message.count({ where: { organizationId: org.id, eventId } })).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("POST /msg: never a 5xx, and a refused message is not stored", async () => {
    const { org, key } = await organization();
    const path = `/api/v1/app/${org.slug}/msg`;
    await fc.assert(
      fc.asyncProperty(payloadDoc, fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyText }), transport, async (payload, oddEventType, how) => {
        const eventId = `fuzz-${randomUUID()}`;
        const body = obj([["eventType", str(oddEventType ?? eventType)], ["eventId", str(eventId)], ["payload", payload]]);
        const before = await db.message.count({ where: { organizationId: org.id } });
        const outcome = await send(messagesRoute, "POST", path, key, body, how);
        expectHandled(outcome, serialise(body));
        if (refused(outcome)) {
          expect(await db.message.count({ where: { organizationId: org.id } })).toBe(before);
          return;
        }
        // What is signed and sent is the payload as the server read the bytes: nothing dropped or replaced (a 1e400 must not become null).
        const stored = await db.message.findFirstOrThrow({ where: { organizationId: org.id, eventId } });
        const sent = JSON.parse(Buffer.from(encode(serialise(body), how)).toString("utf8"), (_, v: unknown) => (Object.is(v, -0) ? 0 : v)) as { payload: unknown };
        expect(JSON.parse(stored.body)).toEqual(sent.payload);
      }),
      params,
    );
  });

  it("POST /endpoint: never a 5xx, and a refused endpoint is not created", async () => {
    const { org, key } = await organization();
    const path = `/api/v1/app/${org.slug}/endpoint`;
    await fc.assert(
      fc.asyncProperty(anyText, textMapDoc, textMapDoc, transport, async (description, metadata, headers, how) => {
        const uid = `fuzz-${randomUUID()}`;
        const body = obj([["url", str("http://127.0.0.1:9/hook")], ["uid", str(uid)], ["eventTypes", { kind: "arr", items: [str(eventType)] }], ["description", str(description)], ["metadata", metadata], ["headers", headers]]);
        const before = await db.endpoint.count({ where: { organizationId: org.id } });
        const outcome = await send(endpointsRoute, "POST", path, key, body, how);
        expectHandled(outcome, serialise(body));
        if (refused(outcome)) expect(await db.endpoint.count({ where: { organizationId: org.id } })).toBe(before);
        else expect(await db.endpoint.count({ where: { organizationId: org.id, uid } })).toBe(1);
      }),
      params,
    );
  });

  it("PATCH /endpoint/{id} and PUT its headers: never a 5xx, and a refused change leaves the endpoint as it was", async () => {
    const { org, key } = await organization();
    const created = await callRoute(endpointsRoute, "POST", `/api/v1/app/${org.slug}/endpoint`, key, { url: "http://127.0.0.1:9/hook", uid: "target", eventTypes: [eventType] });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const snapshot = () => db.endpoint.findUniqueOrThrow({ where: { id } });
    await fc.assert(
      fc.asyncProperty(fc.boolean(), anyText, textMapDoc, transport, async (headersCall, description, map, how) => {
        const before = await snapshot();
        const outcome = headersCall
          ? await send(headersRoute, "PUT", `/api/v1/app/${org.slug}/endpoint/${id}/headers`, key, obj([["headers", map]]), how)
          : await send(endpointRoute, "PATCH", `/api/v1/app/${org.slug}/endpoint/${id}`, key, obj([["description", str(description)], ["metadata", map]]), how);
        expectHandled(outcome, headersCall ? serialise(map) : `${description} ${serialise(map)}`);
        if (refused(outcome)) expect(await snapshot()).toEqual(before);
      }),
      params,
    );
  });

  it("POST /event-type: never a 5xx, and a refused type is not added to the catalog", async () => {
    await fc.assert(
      fc.asyncProperty(anyText, anyText, payloadDoc, transport, async (description, propertyName, example, how) => {
        const name = `fuzz${randomUUID().replace(/-/g, "").slice(0, 12)}.created`;
        const schema = obj([["type", str("object")], ["properties", obj([[propertyName, obj([["description", str(description)]])]])], ["examples", { kind: "arr", items: [example] }]]);
        const body = obj([["name", str(name)], ["description", str(description)], ["schemas", obj([["1", schema]])]]);
        const outcome = await send(typesRoute, "POST", "/api/v1/event-type", platform, body, how);
        expectHandled(outcome, serialise(body));
        expect(await db.eventType.count({ where: { name } })).toBe(refused(outcome) ? 0 : 1);
      }),
      params,
    );
  });

  it("PUT /event-type/{name}: never a 5xx, and a refused update leaves the type as it was", async () => {
    const name = `fuzz${randomUUID().replace(/-/g, "").slice(0, 12)}.updated`;
    const created = await callRoute(typesRoute, "POST", "/api/v1/event-type", platform, { name, description: "Before", schemas: { "1": { type: "object", examples: [{}] } } });
    expect(created.status).toBe(201);
    const snapshot = () => db.eventType.findUniqueOrThrow({ where: { name } });
    await fc.assert(
      fc.asyncProperty(anyText, payloadDoc, transport, async (description, example, how) => {
        const before = await snapshot();
        const body = obj([["description", str(description)], ["schemas", obj([["1", obj([["type", str("object")], ["examples", { kind: "arr", items: [example] }]])]])]]);
        const outcome = await send(typeRoute, "PUT", `/api/v1/event-type/${name}`, platform, body, how);
        expectHandled(outcome, serialise(body));
        if (refused(outcome)) expect(await snapshot()).toEqual(before);
      }),
      params,
    );
  });
});
