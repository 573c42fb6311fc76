import type { LookupAddress } from "node:dns";
import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempt } from "@/lib/delivery/attempt";
import { createGuardedAgents, type GuardedAgents, type Resolver, SsrfBlockedError } from "@/lib/delivery/guarded-agent";
import { type AddressPolicy, parseCidrList } from "@/lib/delivery/ssrf";
import { createTestCertificates, type TestCertificates } from "@/tests/helpers/test-ca";

/**
 * The request-forgery guard on the HTTPS agent, live against TLS receivers on loopback whose
 * certificate a throwaway CA signed. Only loopback is ever connected to: the production setting is
 * shown refusing 127.0.0.1, and DNS rebinding is played out between two loopback addresses, one the
 * policy allows (standing in for a public address) and one it refuses. Each receiver counts TCP
 * connections, so "refused" means no socket reached it, not merely that no request was answered.
 */

const PRODUCTION: AddressPolicy = { allowed: parseCidrList("") };
const LOOPBACK_ALLOWED: AddressPolicy = { allowed: parseCidrList("127.0.0.0/8") };
/** Only 127.0.0.1: 127.0.0.2 plays the internal address a rebinding answer points to. */
const ONLY_127_0_0_1: AddressPolicy = { allowed: parseCidrList("127.0.0.1/32") };

interface TlsReceiver {
  host: string;
  port: number;
  connections: number;
  requests: number;
  close(): Promise<void>;
}

let certificates: TestCertificates;
let ca: string;
const receivers: TlsReceiver[] = [];
const agentsInUse: GuardedAgents[] = [];

async function tlsReceiver(host: string, port = 0): Promise<TlsReceiver> {
  const server = https.createServer({ ...certificates.server }, (req, res) => {
    receiver.requests++;
    req.resume().on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
  });
  const receiver: TlsReceiver = {
    host,
    port: 0,
    connections: 0,
    requests: 0,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  server.on("connection", () => receiver.connections++);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  receiver.port = (server.address() as AddressInfo).port;
  receivers.push(receiver);
  return receiver;
}

function agents(policy: AddressPolicy, resolve?: Resolver): GuardedAgents {
  const created = createGuardedAgents(policy, { resolve });
  agentsInUse.push(created);
  return created;
}

/**
 * A POST through the guarded HTTPS agent, trusting the test CA. `anyName` skips the hostname check
 * and keeps the chain check: the certificate is for IP 127.0.0.1, and a request by name (or to
 * 127.0.0.2) must complete for the test to see which receiver served it.
 */
function post(url: string, via: GuardedAgents, anyName = false): Promise<{ status: number } | { error: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const request = https.request(url, { method: "POST", agent: via.https, ca, ...(anyName ? { checkServerIdentity: () => undefined } : {}) }, (response) => {
      response.resume().on("end", () => resolve({ status: response.statusCode ?? 0 }));
    });
    request.on("error", (error) => resolve({ error }));
    request.end("{}");
  });
}

/** Answers each lookup with the next list of addresses; the last one repeats. Counts the lookups. */
function rebindingResolver(...answers: string[][]): Resolver & { calls: number } {
  const resolver = Object.assign(
    ((_hostname, _options, callback) => {
      const list = answers[Math.min(resolver.calls++, answers.length - 1)];
      callback(null, list.map((address): LookupAddress => ({ address, family: 4 })));
    }) as Resolver,
    { calls: 0 },
  );
  return resolver;
}

beforeAll(() => {
  certificates = createTestCertificates("HookRelay SSRF test CA");
  ca = readFileSync(certificates.caFile, "utf8");
});
afterAll(async () => {
  for (const a of agentsInUse) a.destroy();
  await Promise.all(receivers.map((r) => r.close()));
  certificates?.cleanup();
});

describe("the request-forgery guard over HTTPS", () => {
  it("refuses https://127.0.0.1 under the production setting before any socket opens, and connects when loopback is allowed", async () => {
    const r = await tlsReceiver("127.0.0.1");
    const url = `https://127.0.0.1:${r.port}/hook`;

    const refused = await post(url, agents(PRODUCTION));
    expect(refused).toMatchObject({ error: { code: "ERR_SSRF_BLOCKED", category: "loopback" } });
    // The delivery path records it as the attempt's error kind.
    const outcome = await attempt({ url, messageId: "msg_ssrf_https", body: "{}", secrets: ["whsec_" + Buffer.alloc(32, 7).toString("base64")] }, { agents: agents(PRODUCTION), timeoutMs: 10_000 });
    expect(outcome).toMatchObject({ ok: false, errorKind: "ssrf_blocked" });

    // The barrier: the same receiver, reached once the policy allows loopback, counts that one
    // connection, so the refused requests above would have been counted had they connected.
    expect(await post(url, agents(LOOPBACK_ALLOWED))).toEqual({ status: 200 });
    expect({ connections: r.connections, requests: r.requests }).toEqual({ connections: 1, requests: 1 });
  });

  it("connects only to the address it checked when the name rebinds between lookups", async () => {
    const checked = await tlsReceiver("127.0.0.1");
    // The same port on another loopback address: where a second resolution would lead the socket.
    const internal = await tlsReceiver("127.0.0.2", checked.port);
    const resolver = rebindingResolver(["127.0.0.1"], ["127.0.0.2"]);
    const guarded = agents(ONLY_127_0_0_1, resolver);
    const url = `https://hooks.rebind.test:${checked.port}/hook`;

    // One resolution per connection, and the socket goes to the address that was checked.
    expect(await post(url, guarded, true)).toEqual({ status: 200 });
    expect({ checked: checked.requests, internal: internal.connections }).toEqual({ checked: 1, internal: 0 });
    expect(resolver.calls).toBe(1);

    // A new connection resolves again; the rebinding answer is checked and refused.
    guarded.destroy();
    const refused = await post(url, guarded, true);
    expect(refused).toMatchObject({ error: { code: "ERR_SSRF_BLOCKED", address: "127.0.0.2", category: "loopback" } });
    expect((refused as { error: unknown }).error).toBeInstanceOf(SsrfBlockedError);
    expect(resolver.calls).toBe(2);

    // The barrier: the internal receiver counts a connection the policy lets through.
    expect(await post(`https://127.0.0.2:${checked.port}/hook`, agents(LOOPBACK_ALLOWED), true)).toEqual({ status: 200 });
    expect({ connections: internal.connections, requests: internal.requests }).toEqual({ connections: 1, requests: 1 });
    expect(checked.connections).toBe(1);
  });

  it("refuses a name whose only answer is loopback under the production setting, with nothing reaching the receiver", async () => {
    const r = await tlsReceiver("127.0.0.1");
    const resolver = rebindingResolver(["127.0.0.1"]);
    const url = `https://hooks.example.com:${r.port}/hook`;

    const refused = await post(url, agents(PRODUCTION, resolver), true);
    expect(refused).toMatchObject({ error: { code: "ERR_SSRF_BLOCKED", host: "hooks.example.com", address: "127.0.0.1", category: "loopback" } });
    expect(resolver.calls).toBe(1);

    expect(await post(url, agents(LOOPBACK_ALLOWED, resolver), true)).toEqual({ status: 200 });
    expect({ connections: r.connections, requests: r.requests }).toEqual({ connections: 1, requests: 1 });
  });
});
