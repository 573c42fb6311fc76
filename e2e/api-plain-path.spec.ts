import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, test, type E2eData } from "./fixtures";
import { createKey } from "./sdk";

/**
 * message.create is answered by a plain Node handler in front of Next (scripts/serve.ts,
 * lib/api/v1/node.ts). Two more servers of the same build on the test database show it: one as
 * shipped, one with `API_PLAIN_PATH=off`, where Next's route answers. Each request goes to both,
 * and the two answers must be the same bytes: status line, every header in order (but `Date`) and
 * body. The server as shipped logs, when it stops, how many calls the plain path answered: every
 * message.create sent to it, and nothing else.
 */

const root = path.resolve(import.meta.dirname, "..");
/** Low enough to reach in a burst, high enough that no comparison below reaches it (each uses its own key). */
const RATE_LIMIT = 8;

interface Server {
  process: ChildProcess;
  port: number;
  output: () => string;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function secret(name: string): string | undefined {
  const file = path.join(process.env.E2E_DATA_DIR ?? ".data/e2e", `${name}.secret`);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

async function startServer(plain: "on" | "off"): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/serve.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-test",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      AUTH_TRUST_HOST: "true",
      // The main server's keys, as `npm start` hands them to its server.
      APP_ENCRYPTION_KEY: secret("encryption") ?? randomBytes(32).toString("base64"),
      EXECUTOR_KEY: secret("executor") ?? randomBytes(24).toString("hex"),
      EXECUTOR_INGEST_IN_PROCESS: "1",
      API_CHECK_RESPONSES: "true",
      API_RATE_LIMIT_PER_SECOND: String(RATE_LIMIT),
      // One trusted hop, so that a request can say it came over HTTPS (the HSTS header).
      TRUST_PROXY: "1",
      API_PLAIN_PATH: plain,
    },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`);
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (up) return { process: child, port, output: () => output };
    if (Date.now() > deadline) throw new Error(`the server did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stopServer(server: Server): Promise<void> {
  if (server.process.exitCode !== null) return;
  const exited = new Promise((resolve) => server.process.once("exit", resolve));
  server.process.kill("SIGTERM");
  await exited;
}

interface Call {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  /** Every header as sent, name and value, in order; `Date` left out (the clock's, not the server's). */
  headers: string[];
  body: string;
}

/** One call on its own connection, read off the wire as `node:http` parses it (names in their sent case, in order). */
function call(server: Server, { method = "POST", path: target, headers = {}, body }: Call): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, method, path: target, headers: { ...headers, connection: "close" }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const pairs: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i]!.toLowerCase() !== "date") pairs.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        }
        resolve({ status: res.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload as Record<string, unknown>;
/** A message.create body; `n` makes each one's payload its own. */
const message = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ eventType: "contract.created", payload: { ...payload, occurred_at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString().replace(".000", "") }, ...extra });

test.describe("the plain API path", () => {
  let plain: Server;
  let next: Server;
  /** The calls sent to the server as shipped that the plain path is to answer. */
  let plainCalls = 0;

  test.beforeAll(async () => {
    [plain, next] = await Promise.all([startServer("on"), startServer("off")]);
  });

  test.afterAll(async () => {
    await Promise.all([plain, next].filter(Boolean).map(stopServer));
  });

  async function appWithKey(data: E2eData) {
    const org = await data.createOrg({ webhooksEnabled: true });
    return { org, key: await createKey(data, org.id, "plain path") };
  }

  /** The same call to both servers; their answers, compared byte for byte by the caller. */
  async function both(request: Call | ((server: Server) => Call)): Promise<[Answer, Answer]> {
    const of = (server: Server) => (typeof request === "function" ? request(server) : request);
    const plainCall = of(plain);
    if ((plainCall.method ?? "POST") === "POST" && /^\/api\/v1\/app\/[A-Za-z0-9_-]+\/msg$/.test(plainCall.path)) plainCalls++;
    return [await call(plain, plainCall), await call(next, of(next))];
  }

  test("answers message.create as Next's route does, byte for byte, and nothing else", async ({ data }) => {
    /** A new application and key per comparison: the key's limit is low (see the 429 test). */
    const fresh = async () => {
      const { org, key } = await appWithKey(data);
      return { org, path: `/api/v1/app/${org.slug}/msg`, auth: { authorization: `Bearer ${key}`, "content-type": "application/json" } };
    };
    const same = async (request: Call, status: number) => {
      const [x, y] = await both(request);
      expect(x.status, `${request.method ?? "POST"} ${request.path}: ${x.body}`).toBe(status);
      expect(x).toEqual(y);
      return x;
    };

    // 202: every header in order and the body, once the message's own id and time are set aside.
    const app = await fresh();
    const [a, b] = await both({ path: app.path, headers: app.auth, body: message(1) });
    expect(a.status).toBe(202);
    const own = (answer: Answer) => JSON.stringify({ ...(JSON.parse(answer.body) as object), id: "msg", timestamp: "t" });
    expect(own(a)).toBe(own(b));
    expect(a.headers).toEqual(b.headers);
    expect(a.body.length).toBe(b.body.length);
    // The headers next.config puts on every answer are there (the comparison alone would pass without them).
    expect(a.headers).toEqual(expect.arrayContaining(["X-Content-Type-Options: nosniff", "X-Frame-Options: DENY", "cache-control: no-store"]));

    // Compressed as Next compresses, for a client that accepts it (fetch, so the SDKs, always does).
    const gzip = await fresh();
    const [c, d] = await both({ path: gzip.path, headers: { ...gzip.auth, "accept-encoding": "gzip, deflate, br" }, body: message(1) });
    expect(c.headers).toContain("Content-Encoding: gzip");
    expect(c.headers).toEqual(d.headers);
    await same({ path: gzip.path, headers: { ...gzip.auth, "accept-encoding": "gzip, deflate" }, body: JSON.stringify({ payload: {} }) }, 422);
    await same({ path: gzip.path, headers: { "accept-encoding": "deflate" }, body: message(2) }, 401);

    // 401, 403 (another organization's application), 422, invalid JSON, 413 declared and 413 sent.
    await same({ path: app.path, body: message(2) }, 401);
    await same({ path: app.path, headers: { ...app.auth, authorization: "Bearer sk_nonsense" }, body: message(2) }, 401);
    const other = await fresh();
    await same({ path: other.path, headers: app.auth, body: message(2) }, 403);
    await same({ path: (await fresh()).path, headers: (await fresh()).auth, body: message(2) }, 403);
    const invalid = await fresh();
    await same({ path: invalid.path, headers: invalid.auth, body: JSON.stringify({ payload: {} }) }, 422);
    await same({ path: invalid.path, headers: invalid.auth, body: "{not json" }, 400);
    const large = await fresh();
    const tooLarge = JSON.stringify({ eventType: "contract.created", payload: { pad: "x".repeat(300 * 1024) } });
    await same({ path: large.path, headers: large.auth, body: tooLarge }, 413);
    await same({ path: large.path, headers: { ...large.auth, "transfer-encoding": "chunked" }, body: tooLarge }, 413);

    // 409: an eventId already used (the answer names the first message: the same for both).
    const conflict = await fresh();
    const eventId = `evt-${randomUUID()}`;
    expect((await call(plain, { path: conflict.path, headers: conflict.auth, body: message(3, { eventId }) })).status).toBe(202);
    plainCalls++;
    await same({ path: conflict.path, headers: conflict.auth, body: message(3, { eventId }) }, 409);

    // Idempotency: a replay of the first answer, a key reused with another body, a key still in flight.
    const idem = await fresh();
    const withKey = (k: string) => ({ ...idem.auth, "idempotency-key": k });
    const first = await call(plain, { path: idem.path, headers: withKey("k1"), body: message(4) });
    plainCalls++;
    const replay = await same({ path: idem.path, headers: withKey("k1"), body: message(4) }, 202);
    expect(replay.body).toBe(first.body);
    expect(replay.headers).toContain("idempotent-replayed: true");
    await same({ path: idem.path, headers: withKey("k1"), body: message(5) }, 422);
    await data.query(`INSERT INTO "IdempotencyRecord" ("apiKeyId", "key", "requestHash") SELECT id, 'in-flight', 'h' FROM "ApiKey" WHERE "organizationId" = $1`, [idem.org.id]);
    await same({ path: idem.path, headers: withKey("in-flight"), body: message(6) }, 409);

    // HTTPS through a trusted proxy: next.config's HSTS header, on both.
    const https = await fresh();
    const [s, t] = await both({ path: https.path, headers: { ...https.auth, "x-forwarded-proto": "https" }, body: message(7) });
    expect(s.headers).toContain("Strict-Transport-Security: max-age=31536000");
    expect(s.headers).toEqual(t.headers);

    // What the plain path leaves to Next: other methods, a trailing slash, an escaped segment.
    const left = await fresh();
    await same({ method: "PUT", path: left.path, headers: left.auth, body: message(8) }, 405);
    await same({ method: "OPTIONS", path: left.path }, 204);
    await same({ path: `${left.path}/`, headers: left.auth, body: message(8) }, 308);
    const escaped = left.path.replace("/app/e2e-", "/app/%65%32%65-");
    expect((await call(plain, { path: escaped, headers: left.auth, body: message(8) })).status).toBe(202);
  });

  test("answers 429 past the key's limit as Next's route does", async ({ data }) => {
    const burst = async (server: Server) => {
      const { org, key } = await appWithKey(data);
      const path = `/api/v1/app/${org.slug}/msg`;
      const answers = await Promise.all(Array.from({ length: RATE_LIMIT * 5 }, (_, i) => call(server, { path, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: message(100 + i) })));
      if (server === plain) plainCalls += answers.length;
      const refused = answers.find((answer) => answer.status === 429);
      expect(refused, `${answers.length} calls within a second to a key limited to ${RATE_LIMIT} per second`).toBeDefined();
      return refused!;
    };
    expect(await burst(plain)).toEqual(await burst(next));
  });

  test("the server as shipped answered every message.create on the plain path, and no other call", async () => {
    await stopServer(plain);
    await stopServer(next);
    expect(plain.output()).toContain(`[hookrelay] the plain API path answered ${plainCalls} calls`);
    expect(next.output()).not.toContain("the plain API path answered");
  });
});
