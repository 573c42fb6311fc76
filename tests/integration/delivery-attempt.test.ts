import net, { type AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { attempt, type AttemptInput, RESPONSE_BODY_LIMIT_BYTES, STALE_CONNECTION_RETRIES } from "@/lib/delivery/attempt";
import { createGuardedAgents, type GuardedAgents } from "@/lib/delivery/guarded-agent";
import { USER_AGENT } from "@/lib/delivery/headers";
import { generateSecret } from "@/lib/delivery/sign";
import { parseCidrList } from "@/lib/delivery/ssrf";
import { type Receiver, startReceiver } from "@/tests/helpers/receiver";

const loopbackPolicy = { allowed: parseCidrList("127.0.0.0/8,::1/128") };
const loopbackAgents = createGuardedAgents(loopbackPolicy);
const productionAgents = createGuardedAgents({ allowed: parseCidrList("") });
const secret = generateSecret();
/** Attempt timeout for the absence checks. */
const QUIET_MS = 1_000;
const payload = JSON.stringify({ type: "order.created", data: { id: "ord_1", total: 12.5, city: "Zürich" } });
let receiver: Receiver;

/**
 * The barrier for "nothing more arrives" from an attempt that has returned: no request of its
 * agents is in flight or queued. Every request an attempt makes goes through them (that is how
 * the guard applies), and the receiver records a request before it answers, so whatever was sent
 * has been recorded.
 */
async function agentsIdle(agents: GuardedAgents) {
  const busy = () => [agents.http, agents.https].some((agent) => [agent.sockets, agent.requests].some((byHost) => Object.values(byHost).some((list) => (list?.length ?? 0) > 0)));
  const deadline = Date.now() + 30_000;
  while (busy()) {
    if (Date.now() > deadline) throw new Error("the attempt's agents are still busy after 30 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function send(overrides: Partial<AttemptInput> = {}, timeoutMs = 2_000) {
  return attempt({ url: `${receiver.url}/hooks`, messageId: "msg_test", body: payload, secrets: [secret], ...overrides }, { timeoutMs, agents: loopbackAgents });
}

beforeAll(async () => {
  receiver = await startReceiver();
});
afterEach(() => {
  receiver.reset();
  receiver.setMode({ kind: "status", status: 200 });
});
afterAll(async () => {
  loopbackAgents.destroy();
  productionAgents.destroy();
  await receiver.close();
});

describe("a successful attempt", () => {
  it("POSTs the exact signed bytes with the product headers, and the receiver can verify them", async () => {
    const outcome = await send({ headers: { "X-Tenant": "acme", authorization: "Bearer abc" } });
    expect(outcome).toMatchObject({ ok: true, statusCode: 200, responseBody: "ok", responseBodyTruncated: false, url: `${receiver.url}/hooks` });
    expect(outcome.errorKind).toBeUndefined();
    const [request] = await receiver.waitForRequests(1);
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/hooks");
    expect(request.body.equals(Buffer.from(payload))).toBe(true);
    expect(request.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "webhook-id": "msg_test",
      "x-tenant": "acme",
      authorization: "Bearer abc",
    });
    expect(Number(request.headers["webhook-timestamp"])).toBeCloseTo(Date.now() / 1000, -1);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(secret).verify(request.body, headers)).toEqual(JSON.parse(payload));
  });

  it("treats every 2xx as success, 204 included", async () => {
    receiver.setMode({ kind: "status", status: 204, body: "" });
    expect(await send()).toMatchObject({ ok: true, statusCode: 204, responseBody: "" });
  });

  it("verifies with each secret during rotation", async () => {
    const previous = generateSecret();
    await send({ secrets: [secret, previous] });
    const [request] = await receiver.waitForRequests(1);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
    for (const key of [secret, previous]) expect(() => new Webhook(key).verify(request.body, headers)).not.toThrow();
  });

  it("returns a plain JSON object that survives serialisation unchanged", async () => {
    const outcome = await send();
    expect(JSON.parse(JSON.stringify(outcome))).toEqual(outcome);
    expect(outcome.responseHeaders).toMatchObject({ "content-type": "text/plain", "content-length": "2" });
    expect(new Date(outcome.startedAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("reuses a kept-alive connection between attempts", async () => {
    for (let i = 0; i < 5; i++) expect((await send({ messageId: `m${i}` })).ok).toBe(true);
    const requests = await receiver.waitForRequests(5);
    expect(new Set(requests.map((r) => r.remotePort)).size).toBe(1);
  });
});

describe("custom headers", () => {
  it("can never override or inject the product's reserved headers", async () => {
    await send({
      headers: {
        "Content-Type": "text/plain",
        "User-Agent": "evil",
        "webhook-signature": "v1,forged",
        "Webhook-Id": "msg_forged",
        "content-length": "1",
        host: "internal.example",
        "svix-signature": "v1,forged",
        "x-split": "a\r\nx-injected: yes",
        "bad name": "x",
        "x-fine": "kept",
      },
    });
    const [request] = await receiver.waitForRequests(1);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["user-agent"]).toBe(USER_AGENT);
    expect(request.headers["webhook-id"]).toBe("msg_test");
    expect(request.headers["webhook-signature"]).not.toContain("forged");
    expect(request.headers.host).toBe(`127.0.0.1:${receiver.port}`);
    expect(request.headers["content-length"]).toBe(String(Buffer.byteLength(payload)));
    expect(request.headers["svix-signature"]).toBeUndefined();
    expect(request.headers["x-injected"]).toBeUndefined();
    expect(request.headers["x-split"]).toBeUndefined();
    expect(request.headers["x-fine"]).toBe("kept");
  });
});

describe("failed attempts", () => {
  for (const status of [500, 404, 429]) {
    it(`records HTTP ${status} as a failure with the response body`, async () => {
      receiver.setMode({ kind: "status", status, body: `{"error":"nope ${status}"}`, headers: { "retry-after": "7" } });
      const outcome = await send();
      expect(outcome).toMatchObject({
        ok: false,
        statusCode: status,
        errorKind: "http_status",
        errorMessage: `HTTP ${status}`,
        responseBody: `{"error":"nope ${status}"}`,
        responseBodyTruncated: false,
      });
      expect(outcome.responseHeaders?.["retry-after"]).toBe("7");
    });
  }

  it("times out when the answer takes longer than the timeout", async () => {
    receiver.setMode({ kind: "slow", delayMs: 5_000 });
    const outcome = await send({}, 300);
    expect(outcome).toMatchObject({ ok: false, errorKind: "timeout" });
    expect(outcome.statusCode).toBeUndefined();
    expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
    // It gave up, rather than waiting for the late answer.
    expect(outcome.durationMs).toBeLessThan(5_000);
  });

  it("times out when the headers come in time but the body does not: the timeout covers the whole exchange", async () => {
    receiver.setMode({ kind: "slow-body", delayMs: 5_000 });
    const outcome = await send({}, 300);
    expect(outcome).toMatchObject({ ok: false, statusCode: 200, errorKind: "timeout", responseBody: "partial" });
  });

  it("records a reset connection", async () => {
    receiver.setMode({ kind: "reset" });
    expect(await send()).toMatchObject({ ok: false, errorKind: "connection_reset" });
    expect(receiver.total).toBe(1);
  });

  it("records a refused connection", async () => {
    const closed = await startReceiver();
    const url = closed.url;
    await closed.close();
    const outcome = await send({ url });
    expect(outcome).toMatchObject({ ok: false, errorKind: "connection_refused" });
    expect(outcome.errorMessage).toMatch(/ECONNREFUSED/);
  });

  it("does not follow a redirect: one request arrives and the attempt fails", async () => {
    receiver.setMode({ kind: "redirect", status: 302, location: "/elsewhere" });
    const outcome = await send({}, QUIET_MS);
    expect(outcome).toMatchObject({ ok: false, statusCode: 302, errorKind: "redirect", errorMessage: "HTTP 302 redirect to /elsewhere not followed" });
    // A followed redirect would go through the attempt's agents.
    await agentsIdle(loopbackAgents);
    expect(receiver.total).toBe(1);
    expect(receiver.requests.map((r) => r.path)).toEqual(["/hooks"]);
  });

  it("keeps the first 64 KB of a large body and marks it truncated", async () => {
    receiver.setMode({ kind: "status", status: 500, body: "é".repeat(RESPONSE_BODY_LIMIT_BYTES) });
    const outcome = await send();
    expect(outcome.responseBodyTruncated).toBe(true);
    expect(Buffer.byteLength(outcome.responseBody)).toBe(RESPONSE_BODY_LIMIT_BYTES);
    expect(outcome.responseBody).toBe("é".repeat(RESPONSE_BODY_LIMIT_BYTES / 2));
  });

  it("keeps a body of exactly 64 KB whole", async () => {
    receiver.setMode({ kind: "status", status: 200, body: "x".repeat(RESPONSE_BODY_LIMIT_BYTES) });
    expect(await send()).toMatchObject({ ok: true, responseBodyTruncated: false });
  });

  it("rejects URLs that are not http or https without sending anything", async () => {
    for (const url of ["not a url", "ftp://127.0.0.1/x", "file:///etc/passwd"]) {
      expect(await send({ url })).toMatchObject({ ok: false, errorKind: "invalid_url", url });
    }
    expect(receiver.total).toBe(0);
  });

  it("records a DNS failure", async () => {
    // Tests never query real DNS: this resolver answers the way getaddrinfo does for an unknown name.
    const agents = createGuardedAgents(loopbackPolicy, {
      resolve: (hostname, _options, callback) =>
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []),
    });
    try {
      const outcome = await attempt({ url: "http://no-such-host.invalid/hook", messageId: "m", body: "{}", secrets: [secret] }, { agents, timeoutMs: 2_000 });
      expect(outcome).toMatchObject({ ok: false, errorKind: "dns", errorMessage: "getaddrinfo ENOTFOUND no-such-host.invalid" });
    } finally {
      agents.destroy();
    }
  });

  it("records a TLS failure (https to a plain-HTTP receiver)", async () => {
    const outcome = await send({ url: `https://127.0.0.1:${receiver.port}/hooks` });
    expect(outcome).toMatchObject({ ok: false, errorKind: "tls" });
  });

  it("masks a password in the recorded URL but still sends the credentials", async () => {
    const outcome = await send({ url: `http://user:s3cret@127.0.0.1:${receiver.port}/hooks` });
    expect(outcome.url).toBe(`http://user:***@127.0.0.1:${receiver.port}/hooks`);
    const [request] = await receiver.waitForRequests(1);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from("user:s3cret").toString("base64")}`);
  });

  it("succeeds after N failures when the receiver recovers", async () => {
    receiver.setMode({ kind: "fail-then-succeed", failures: 2 });
    const outcomes = [await send(), await send(), await send()];
    expect(outcomes.map((o) => [o.ok, o.statusCode])).toEqual([[false, 500], [false, 500], [true, 200]]);
  });
});

/**
 * A receiver on 127.0.0.1 speaking HTTP/1.1 by hand, to close kept-alive connections exactly as
 * a request arrives: what a client sees when the receiver's keep-alive timeout runs out while its
 * own event loop is too busy to notice the close. Each connection answers its first `answered`
 * requests 200 (kept alive) and then ends (FIN) or resets (RST) on the next one, unanswered.
 */
async function startHangingUpReceiver(answered: number, close: "end" | "reset") {
  const arrivals: number[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    const connection = ++connections;
    let served = 0;
    let buffer = "";
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      for (;;) {
        const headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) return;
        const length = Number(/content-length: *(\d+)/i.exec(buffer.slice(0, headerEnd))?.[1] ?? 0);
        if (buffer.length < headerEnd + 4 + length) return;
        buffer = buffer.slice(headerEnd + 4 + length);
        arrivals.push(connection);
        if (served++ < answered) socket.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok");
        else if (close === "end") socket.end();
        else socket.resetAndDestroy();
      }
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const agents = createGuardedAgents(loopbackPolicy);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    agents,
    /** The connection (1, 2, …) each request arrived on, in order. */
    arrivals,
    close: async () => {
      agents.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("kept-alive connections the receiver closed", () => {
  function sendTo(target: Awaited<ReturnType<typeof startHangingUpReceiver>>, messageId: string) {
    return attempt({ url: target.url, messageId, body: payload, secrets: [secret] }, { timeoutMs: 2_000, agents: target.agents });
  }

  it("sends the request again on a fresh connection when a kept-alive one was closed as it was written", async () => {
    const target = await startHangingUpReceiver(1, "end");
    try {
      expect(await sendTo(target, "msg_1")).toMatchObject({ ok: true, statusCode: 200 });
      const second = await sendTo(target, "msg_2");
      expect(second).toMatchObject({ ok: true, statusCode: 200, responseBody: "ok" });
      expect(second.errorKind).toBeUndefined();
      // msg_2 reached the closing connection unanswered, then a new one answered it.
      expect(target.arrivals).toEqual([1, 1, 2]);
    } finally {
      await target.close();
    }
  });

  it("reports the hang-up when a fresh connection hangs up too, after a bounded number of tries", async () => {
    const target = await startHangingUpReceiver(1, "end");
    try {
      // Several idle kept-alive connections, each closing on its next request.
      const warm = await Promise.all([0, 1, 2, 3, 4].map((i) => sendTo(target, `warm_${i}`)));
      expect(warm.every((o) => o.ok)).toBe(true);
      const connections = new Set(target.arrivals).size;
      expect(connections).toBeGreaterThan(STALE_CONNECTION_RETRIES);
      const outcome = await sendTo(target, "msg_stale");
      expect(outcome).toMatchObject({ ok: false, errorKind: "connection_reset" });
      expect(outcome.statusCode).toBeUndefined();
      // The first request and STALE_CONNECTION_RETRIES more, each on a kept-alive connection: no more.
      expect(target.arrivals.length - warm.length).toBe(1 + STALE_CONNECTION_RETRIES);
    } finally {
      await target.close();
    }
  });

  it("does not send again when the receiver reset (RST) a kept-alive connection: it may have taken the request", async () => {
    const target = await startHangingUpReceiver(1, "reset");
    try {
      expect((await sendTo(target, "msg_1")).ok).toBe(true);
      expect(await sendTo(target, "msg_2")).toMatchObject({ ok: false, errorKind: "connection_reset" });
      expect(target.arrivals).toEqual([1, 1]);
    } finally {
      await target.close();
    }
  });
});

describe("request forgery guard, live on loopback", () => {
  it("refuses a loopback receiver when loopback is not allowed (production), and the receiver sees nothing", async () => {
    for (const url of [`${receiver.url}/hooks`, `http://localhost:${receiver.port}/hooks`, `http://[::ffff:127.0.0.1]:${receiver.port}/hooks`]) {
      const outcome = await attempt({ url, messageId: "m", body: payload, secrets: [secret] }, { agents: productionAgents, timeoutMs: QUIET_MS });
      expect(outcome).toMatchObject({ ok: false, errorKind: "ssrf_blocked" });
      expect(outcome.errorMessage).toMatch(/loopback address/);
    }
    // Anything the attempts had sent would have gone through their agents.
    await agentsIdle(productionAgents);
    expect(receiver.total).toBe(0);
  });

  it("delivers to the same receiver when loopback is allowed", async () => {
    const outcome = await attempt({ url: `http://localhost:${receiver.port}/hooks`, messageId: "m", body: payload, secrets: [secret] }, { agents: loopbackAgents, timeoutMs: 2_000 });
    expect(outcome).toMatchObject({ ok: true, statusCode: 200 });
    expect(receiver.total).toBe(1);
  });
});
