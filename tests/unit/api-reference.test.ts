import type { IncomingMessage } from "node:http";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { API_KEY_PLACEHOLDER, sdkSnippet, snippetEvent } from "@/lib/api/sdk-snippet";
import { chosenSection, matchesFilter, operationDetails, referenceIndex, referenceSections, sectionOfFragment, type OperationView } from "@/lib/api/v1/reference";
import { openApiDocument } from "@/lib/api/v1/registry";
import { parseEnv } from "@/lib/env";
import { recordPeer } from "@/lib/http/forwarded";
import { requestOrigin } from "@/lib/http/public-origin";
import { splitInlineMarkup } from "@/lib/text/inline-code";

const byPath = (rows: { path: string }[]) => Object.fromEntries(rows.map((r) => [r.path, r]));

describe("the API reference read from the generated OpenAPI document", () => {
  const document = openApiDocument();
  const sections = referenceSections(document);
  const operations = sections.flatMap((s) => s.operations);

  it("lists every operation of the document once, in sections ordered as the document's tags", () => {
    const inDocument = Object.values(document.paths ?? {}).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string }>).flatMap((op) => (op?.operationId ? [op.operationId] : [])),
    );
    expect(inDocument.length).toBeGreaterThan(0);
    expect(operations.map((op) => op.operationId).sort()).toEqual([...inDocument].sort());
    const declared = (document.tags ?? []).map((t) => t.name);
    const order = sections.map((s) => declared.indexOf(s.tag));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(sections.every((s) => s.operations.length > 0)).toBe(true);
  });

  it("shows message create with its path and header parameters, body, answer and errors", () => {
    const create = operations.find((op) => op.operationId === "v1.message.create")!;
    expect(create).toMatchObject({ method: "POST", path: "/api/v1/app/{app_id}/msg", access: "app", anchor: "v1.message.create" });
    const [path, header] = create.parameters;
    expect(path).toMatchObject({ location: "path", fields: [{ name: "app_id", required: true, type: "string", description: expect.stringContaining("slug") }] });
    expect(header).toMatchObject({ location: "header", fields: [{ name: "idempotency-key", required: false, constraints: ["≤ 255 characters"] }] });
    expect(create.body?.name).toBe("MessageIn");
    const body = byPath(create.body!.fields);
    expect(body["eventType"]).toMatchObject({ required: true, type: "string", constraints: ["1–200 characters"] });
    expect(body["payload"]).toMatchObject({ required: true, type: "object" });
    expect(body["channels"]).toMatchObject({ required: false, type: "array of string | null" });
    expect(create.success).toMatchObject({ status: "202", body: { name: "MessageCreated" } });
    const answer = byPath(create.success.body!.fields);
    expect(answer["eventId"]).toMatchObject({ type: "string | null", required: true });
    expect(answer["timestamp"]).toMatchObject({ format: "date-time" });
    // zod's safe-integer bounds are noise, not a limit a client can hit.
    expect(answer["deliveries.total"]).toMatchObject({ depth: 1, type: "integer", required: true, constraints: [] });
    expect(create.errors.map((e) => e.status)).toEqual(expect.arrayContaining(["401", "403", "404", "422", "429", "500"]));
    expect(create.errors.find((e) => e.status === "429")?.description).toContain("`retry-after`");
  });

  it("marks public operations and answers without a body", () => {
    const health = operations.find((op) => op.operationId === "v1.health.get")!;
    expect(health).toMatchObject({ access: "public", parameters: [], body: null, success: { status: "204", body: null } });
  });
});

/** A hand-made document with what zod-openapi may produce as operations are added. */
const synthetic = {
  openapi: "3.1.0",
  tags: [{ name: "Endpoint" }, { name: "Empty" }],
  components: {
    schemas: {
      EndpointOut: {
        allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", required: ["url"], properties: { url: { type: "string", format: "uri" } } }],
      },
      Base: { type: "object", required: ["id"], properties: { id: { type: "string", description: "The id" } } },
      Node: { type: "object", properties: { name: { type: "string" }, child: { $ref: "#/components/schemas/Node" } } },
      Status: { type: "string", enum: ["enabled", "disabled"] },
      ListResponse_EndpointOut_: {
        type: "object",
        required: ["data", "done"],
        properties: { data: { type: "array", items: { $ref: "#/components/schemas/EndpointOut" } }, done: { type: "boolean" } },
      },
    },
    parameters: { Limit: { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 250, default: 50 } } },
    requestBodies: { NodeBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } } },
    responses: { Listed: { description: "The page.", content: { "application/json": { schema: { $ref: "#/components/schemas/ListResponse_EndpointOut_" } } } } },
  },
  paths: {
    "/api/v1/app/{app_id}/endpoint": {
      get: {
        operationId: "v1.endpoint.list",
        summary: "List endpoints",
        tags: ["Endpoint"],
        parameters: [{ name: "app_id", in: "path", schema: { type: "string" } }, { $ref: "#/components/parameters/Limit" }, { name: "session", in: "cookie" }],
        responses: { "200": { $ref: "#/components/responses/Listed" }, "401": { description: "No key" } },
      },
      post: {
        summary: "Create a node",
        tags: ["Tree"],
        requestBody: { $ref: "#/components/requestBodies/NodeBody" },
        responses: {
          "201": {
            description: "Made.",
            content: { "application/json": { schema: { type: "object", properties: { status: { anyOf: [{ $ref: "#/components/schemas/Status" }, { type: "null" }] } } } } },
          },
        },
      },
    },
  },
};

describe("walking any OpenAPI document", () => {
  const sections = referenceSections(synthetic);
  const list = sections[0]!.operations[0]!;
  const create = sections[1]!.operations[0]!;

  it("orders declared tags first, then others, and drops tags without operations", () => {
    expect(sections.map((s) => [s.tag, s.anchor])).toEqual([
      ["Endpoint", "tag-Endpoint"],
      ["Tree", "tag-Tree"],
    ]);
  });

  it("follows $refs into components: parameters, bodies, responses and schemas, merging allOf", () => {
    expect(list.parameters.map((g) => [g.location, g.fields.map((f) => `${f.name}:${f.type}:${f.required}`)])).toEqual([
      ["path", ["app_id:string:true"]],
      ["query", ["limit:integer:false"]],
    ]);
    expect(list.parameters[1]!.fields[0]!.constraints).toEqual(["1–250", "default 50"]);
    expect(list.success.body?.name).toBe("ListResponse_EndpointOut_");
    expect(list.success.body!.fields.map((f) => `${f.path}:${f.type}:${f.required}`)).toEqual([
      "data:array of object:true",
      "data[].id:string:true",
      "data[].url:string:true",
      "done:boolean:true",
    ]);
    expect(list.errors).toEqual([{ status: "401", description: "No key" }]);
  });

  it("expands a recursive schema once and shows a nullable enum's values", () => {
    expect(create.body!.fields.map((f) => f.path)).toEqual(["name", "child", "child.name", "child.child"]);
    expect(byPath(create.success.body!.fields)["status"]).toMatchObject({ type: "string | null", enumValues: ["enabled", "disabled"] });
  });

  it("names an operation without an operationId by method and path, as a usable anchor", () => {
    expect(create).toMatchObject<Partial<OperationView>>({ operationId: "post /api/v1/app/{app_id}/endpoint", anchor: "post-api-v1-app-app_id-endpoint" });
  });

  it("returns nothing for something that is not a document", () => {
    expect(referenceSections(null)).toEqual([]);
    expect(referenceSections({ paths: "nope" })).toEqual([]);
  });
});

describe("the page: an index of every operation, one section shown, tables sent on opening", () => {
  const sections = referenceSections(openApiDocument());
  const index = referenceIndex(sections);

  it("indexes every operation by section with method, path, summary and filter text, and no tables", () => {
    expect(index.map((s) => s.anchor)).toEqual(sections.map((s) => s.anchor));
    expect(index.flatMap((s) => s.operations.map((op) => op.anchor))).toEqual(sections.flatMap((s) => s.operations.map((op) => op.anchor)));
    const create = index.flatMap((s) => s.operations).find((op) => op.anchor === "v1.message.create")!;
    expect(create).toEqual({ anchor: "v1.message.create", method: "POST", path: "/api/v1/app/{app_id}/msg", summary: "Create message", searchText: expect.stringContaining("create message") });
  });

  it("sends an operation's tables apart from the page", () => {
    const create = sections.flatMap((s) => s.operations).find((op) => op.anchor === "v1.message.create")!;
    expect(Object.keys(operationDetails(create)).sort()).toEqual(["body", "errors", "parameters", "success"]);
    expect(operationDetails(create).body?.name).toBe("MessageIn");
  });

  it("shows the section the URL names, and the first for anything else", () => {
    expect(chosenSection(sections, "tag-Message")?.tag).toBe("Message");
    expect(chosenSection(sections, undefined)).toBe(sections[0]);
    expect(chosenSection(sections, "tag-Nope")).toBe(sections[0]);
    expect(chosenSection([], "tag-Message")).toBeUndefined();
  });

  it("finds the section of a #fragment naming an operation or a section", () => {
    expect(sectionOfFragment(index, "v1.message-attempt.get")).toBe("tag-Message-Attempt");
    expect(sectionOfFragment(index, "tag-Endpoint")).toBe("tag-Endpoint");
    expect(sectionOfFragment(index, "main")).toBeNull();
  });
});

describe("the reference's filter", () => {
  it("matches every word of the query, in any order and case", () => {
    const text = "v1.endpoint.list list endpoints get /api/v1/app/{app_id}/endpoint";
    expect(matchesFilter(text, "")).toBe(true);
    expect(matchesFilter(text, "  ENDPOINT   get ")).toBe(true);
    expect(matchesFilter(text, "endpoint post")).toBe(false);
  });
});

describe("descriptions", () => {
  it("splits **strong** outside code spans and keeps markup-looking text as text", () => {
    expect(splitInlineMarkup("Needs a **platform** key: `**not bold**` <b>x</b>")).toEqual([
      { kind: "text", text: "Needs a " },
      { kind: "strong", text: "platform" },
      { kind: "text", text: " key: " },
      { kind: "code", text: "**not bold**" },
      { kind: "text", text: " <b>x</b>" },
    ]);
    expect(splitInlineMarkup("a ** lone")).toEqual([{ kind: "text", text: "a ** lone" }]);
  });
});

describe("the SDK snippet", () => {
  it("is valid TypeScript with the key, server, slug and event written as literals", () => {
    const code = sdkSnippet({ apiKey: API_KEY_PLACEHOLDER, serverUrl: "https://hooks.example.com", app: `ac"me`, event: { eventType: "contract.created", payload: { a: { b: [1, "x\"y"] } } } });
    const { diagnostics } = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    expect(diagnostics).toEqual([]);
    expect(code).toContain(`new Svix("<your API key>", {\n  serverUrl: "https://hooks.example.com",\n});`);
    expect(code).toContain(`svix.message.create("ac\\"me", {`);
    expect(code).toContain(`eventType: "contract.created"`);
  });

  it("sends a current catalog type that has an example", () => {
    const types = [
      { name: "a.old", deprecated: true, examples: [{ payload: { old: true } }] },
      { name: "b.none", deprecated: false, examples: [] },
      { name: "c.good", deprecated: false, examples: [{ payload: { ok: 1 } }, { payload: { ok: 2 } }] },
    ];
    expect(snippetEvent(types)).toEqual({ eventType: "c.good", payload: { ok: 1 } });
    expect(snippetEvent(types.slice(0, 2))).toEqual({ eventType: "a.old", payload: { old: true } });
    expect(snippetEvent([])).toBeNull();
  });
});

describe("the server URL shown to the browser", () => {
  /** Headers as the HTTP server leaves them (scripts/serve.ts runs recordPeer first). */
  function served(peer: string, sent: Record<string, string>, trustProxy?: string): Headers {
    const req = { socket: { remoteAddress: peer }, headers: { ...sent } } as unknown as IncomingMessage;
    recordPeer(req, parseEnv(trustProxy ? { TRUST_PROXY: trustProxy } : {}).TRUST_PROXY);
    return new Headers(Object.entries(req.headers).map(([k, v]): [string, string] => [k, String(v)]));
  }

  it("is the Host the browser used when no proxy is trusted, whatever forwarding headers say", () => {
    const headers = served("203.0.113.9", { host: "localhost:3347", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" });
    expect(requestOrigin(headers, 3000)).toBe("http://localhost:3347");
  });

  it("is the trusted proxy's forwarded host and scheme", () => {
    const headers = served("10.0.0.2", { host: "app:3000", "x-forwarded-host": "Hooks.Example.com, inner", "x-forwarded-proto": "https" }, "10.0.0.0/8");
    expect(requestOrigin(headers, 3000)).toBe("https://hooks.example.com");
  });

  it("ignores a value that is not a host name", () => {
    expect(requestOrigin(new Headers({ host: "a b/<x>" }), 3000)).toBe("http://localhost:3000");
    expect(requestOrigin(new Headers({ host: "[::1]:8080" }), 3000)).toBe("http://[::1]:8080");
  });
});
