import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomInt } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { SIGN_IN_LIMIT, verifyCredentials } from "@/lib/auth/credentials";
import { db } from "@/lib/db";
import { clientAddress, recordPeer, TRUST_NONE, trustProxySchema, type TrustProxy } from "@/lib/http/forwarded";

/**
 * A real HTTP server doing what `scripts/serve.ts` and the sign-in do: record the TCP peer, then
 * count the failure against `clientAddress`. Each test connects from its own loopback address, so
 * the counts of parallel test files never meet.
 */
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function signInServer(trust: TrustProxy): Promise<number> {
  const server = http.createServer((req, res) => {
    recordPeer(req, trust);
    const ip = clientAddress(new Headers(req.headers as Record<string, string>), trust);
    const email = new URL(req.url ?? "/", "http://x").searchParams.get("email") ?? "";
    void verifyCredentials({ email, password: "wrong password" }, ip).then((outcome) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ outcome: outcome.ok ? "signed_in" : outcome.reason, ip, proto: req.headers["x-forwarded-proto"] }));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

function signIn(port: number, from: string, headers: Record<string, string>, email: string) {
  return new Promise<{ outcome: string; ip: string; proto: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, localAddress: from, path: `/?email=${encodeURIComponent(email)}`, headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve(JSON.parse(body) as { outcome: string; ip: string; proto: string }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A fresh address: its failures of an earlier run (within the window) are forgotten first. */
async function fresh(address: string) {
  await db.failedSignIn.deleteMany({ where: { ip: address } });
  return address;
}
const loopback = () => fresh(`127.${randomInt(1, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`);

async function twelveFailures(port: number, from: string, headersFor: (i: number) => Record<string, string>) {
  const outcomes: string[] = [];
  for (let i = 0; i < SIGN_IN_LIMIT + 2; i++) {
    const account = `spray-${i}-${from}-${randomInt(1e9)}@example.test`;
    outcomes.push((await signIn(port, from, headersFor(i), account)).outcome);
  }
  return outcomes;
}

const expected = [...Array<string>(SIGN_IN_LIMIT).fill("invalid"), "throttled", "throttled"];

// Thirteen bcrypt checks per test: generous on a loaded machine, and no part of what is asserted.
describe("the address sign-in throttling counts", { timeout: 120_000 }, () => {
  it("without TRUST_PROXY ignores X-Forwarded-For: a different one on each try is still throttled", async () => {
    const port = await signInServer(TRUST_NONE);
    const from = await loopback();
    const outcomes = await twelveFailures(port, from, (i) => ({ "x-forwarded-for": `203.0.113.${i + 1}`, "x-forwarded-proto": "https" }));
    expect(outcomes).toEqual(expected);
    const counted = await db.failedSignIn.groupBy({ by: ["ip"], where: { email: { contains: `-${from}-` } }, _count: true });
    expect(counted).toEqual([{ ip: from, _count: SIGN_IN_LIMIT }]);
    // Nor does it believe the client about HTTPS.
    expect((await signIn(port, from, { "x-forwarded-proto": "https" }, "x@example.test")).proto).toBe("http");
  });

  it("behind one trusted hop uses the entry the proxy appended and ignores a spoofed left entry", async () => {
    const port = await signInServer(trustProxySchema.parse("1"));
    const proxy = await loopback();
    const client = await fresh(`198.51.100.${randomInt(1, 250)}`);
    const outcomes = await twelveFailures(port, proxy, (i) => ({ "x-forwarded-for": `203.0.113.${i + 1}, ${client}`, "x-forwarded-proto": "https" }));
    expect(outcomes).toEqual(expected);
    const answer = await signIn(port, proxy, { "x-forwarded-for": `6.6.6.6, ${client}`, "x-forwarded-proto": "https" }, "y@example.test");
    expect(answer).toMatchObject({ ip: client, proto: "https" });
    // The proxy's own address is not what is counted.
    expect(await db.failedSignIn.count({ where: { ip: proxy } })).toBe(0);
  });

  it("behind proxies listed as CIDRs skips each of them and counts the first address outside", async () => {
    const port = await signInServer(trustProxySchema.parse("127.0.0.0/8, 10.0.0.0/8"));
    const edge = await loopback();
    const client = await fresh(`192.0.2.${randomInt(1, 250)}`);
    const outcomes = await twelveFailures(port, edge, (i) => ({ "x-forwarded-for": `203.0.113.${i + 1}, ${client}, 10.20.30.40` }));
    expect(outcomes).toEqual(expected);
    expect((await signIn(port, edge, { "x-forwarded-for": `${client}, 10.20.30.40` }, "z@example.test")).ip).toBe(client);
  });
});
