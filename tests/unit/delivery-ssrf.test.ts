import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { createGuardedLookup, type Resolver, SsrfBlockedError } from "@/lib/delivery/guarded-agent";
import { type AddressCategory, checkAddress, parseCidrList } from "@/lib/delivery/ssrf";

const examples: Record<AddressCategory, string[]> = {
  loopback: ["127.0.0.1", "127.255.255.254", "::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:0:0:1"],
  private: ["10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1", "fc00::1", "fd12:3456::1", "::ffff:10.1.2.3", "64:ff9b::a00:1", "2002:c0a8:101::1"],
  link_local: ["169.254.0.1", "169.254.255.255", "fe80::1", "fe80::1%eth0", "febf::1"],
  cgnat: ["100.64.0.1", "100.127.255.255"],
  multicast: ["224.0.0.1", "239.255.255.250", "ff02::1", "ff05::1:3"],
  unspecified: ["0.0.0.0", "::", "::ffff:0.0.0.0"],
  broadcast: ["255.255.255.255"],
  reserved: ["0.1.2.3", "240.0.0.1", "198.18.0.1", "192.0.0.8", "192.88.99.1", "fec0::1", "::1.2.3.4", "100::1", "2001::1", "4000::1"],
  documentation: ["192.0.2.1", "198.51.100.7", "203.0.113.9", "2001:db8::1", "3fff::1"],
  metadata: ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "100.100.100.200", "169.254.170.2"],
  public: ["8.8.8.8", "1.1.1.1", "93.184.215.14", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "11.0.0.1", "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"],
};

const loopbackAllowed = { allowed: parseCidrList("127.0.0.0/8,::1/128") };
const production = { allowed: parseCidrList("") };

describe("classifying addresses (no connection is made)", () => {
  for (const [category, addresses] of Object.entries(examples)) {
    it(`recognises ${category} addresses`, () => {
      for (const address of addresses) expect([address, checkAddress(address, production).category]).toEqual([address, category]);
    });
  }

  it("refuses what is not an IP address", () => {
    expect(checkAddress("localhost", loopbackAllowed)).toEqual({ allowed: false, category: "reserved" });
  });
});

describe("the address policy", () => {
  it("allows only public addresses in production (WEBHOOK_ALLOWED_CIDRS empty)", () => {
    for (const [category, addresses] of Object.entries(examples)) {
      for (const address of addresses) expect([address, checkAddress(address, production).allowed]).toEqual([address, category === "public"]);
    }
  });

  it("by default also allows loopback, IPv4-mapped included, and nothing else internal", () => {
    for (const address of examples.loopback) expect(checkAddress(address, loopbackAllowed)).toMatchObject({ allowed: true, category: "loopback" });
    expect(checkAddress("::ffff:127.0.0.1", loopbackAllowed).allowedBy).toBe("127.0.0.0/8");
    for (const category of ["private", "link_local", "cgnat", "multicast", "unspecified", "metadata"] as const) {
      for (const address of examples[category]) expect([address, checkAddress(address, loopbackAllowed).allowed]).toEqual([address, false]);
    }
  });

  it("allows exactly the listed ranges", () => {
    const policy = { allowed: parseCidrList("10.1.0.0/16, fd00::/8, 192.168.5.5") };
    expect(checkAddress("10.1.200.3", policy).allowed).toBe(true);
    expect(checkAddress("10.2.0.1", policy).allowed).toBe(false);
    expect(checkAddress("fd00::9", policy).allowed).toBe(true);
    expect(checkAddress("fd00:ec2::254", policy).allowed).toBe(true);
    expect(checkAddress("192.168.5.5", policy).allowed).toBe(true);
    expect(checkAddress("192.168.5.6", policy).allowed).toBe(false);
    expect(checkAddress("127.0.0.1", policy).allowed).toBe(false);
  });

  it("explains malformed CIDRs", () => {
    expect(() => parseCidrList("10.0.0.0/8,")).toThrow(/entry 2 is empty/);
    expect(() => parseCidrList("10.0.0.1/8")).toThrow(/bits set after the \/8 prefix/);
    expect(() => parseCidrList("10.0.0.0/33")).toThrow(/\/0 to \/32 for IPv4/);
    expect(() => parseCidrList("::/129")).toThrow(/\/0 to \/128 for IPv6/);
    expect(() => parseCidrList("10.0.0.0/x")).toThrow(/invalid prefix/);
    expect(() => parseCidrList("intranet")).toThrow(/not a CIDR/);
  });
});

/**
 * The resolver is the seam DNS rebinding attacks: an answer list with a public and an internal
 * address, or answers that change between lookups. These tests feed such answers directly, since
 * tests must not depend on (or reach) real DNS; nothing connects.
 */
function resolverAnswering(...answers: string[][]): Resolver {
  let call = 0;
  return (_hostname, _options, callback) => {
    const list = answers[Math.min(call++, answers.length - 1)];
    callback(null, list.map((address): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 })));
  };
}

function lookupVia(resolver: Resolver, all: boolean) {
  const lookup = createGuardedLookup(production, resolver);
  return new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
    lookup("hooks.example.com", { all }, (err, address, family) => resolve({ err, address, family })),
  );
}

describe("the connection-time lookup guard", () => {
  it("refuses a name when any one of its addresses is internal", async () => {
    const { err } = await lookupVia(resolverAnswering(["93.184.215.14", "10.0.0.5"]), true);
    expect(err).toBeInstanceOf(SsrfBlockedError);
    expect(err?.message).toMatch(/hooks\.example\.com: it resolves to 10\.0\.0\.5, a private address/);
  });

  it("hands the connection exactly the addresses it checked", async () => {
    const resolver = resolverAnswering(["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"], ["169.254.169.254"]);
    const lookup = createGuardedLookup(production, resolver);
    const first = await new Promise<unknown>((resolve) => lookup("a.example", { all: true }, (err, address) => resolve(err ?? address)));
    expect(first).toEqual([
      { address: "93.184.215.14", family: 4 },
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
    ]);
    // The rebinding answer is checked on its own lookup and refused.
    const second = await new Promise<unknown>((resolve) => lookup("a.example", { all: true }, (err) => resolve(err)));
    expect(second).toBeInstanceOf(SsrfBlockedError);
    expect((second as SsrfBlockedError).category).toBe("metadata");
  });

  it("answers single-address lookups with the first checked address", async () => {
    expect(await lookupVia(resolverAnswering(["1.1.1.1", "8.8.8.8"]), false)).toEqual({ err: null, address: "1.1.1.1", family: 4 });
  });

  it("passes DNS failures through as they are", async () => {
    const failing: Resolver = (_h, _o, callback) => callback(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }), []);
    const { err } = await lookupVia(failing, true);
    expect(err?.code).toBe("ENOTFOUND");
  });
});
