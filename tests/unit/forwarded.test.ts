import { describe, expect, it } from "vitest";
import { clientAddress, TRUST_NONE, trustProxySchema } from "@/lib/http/forwarded";
import { parseEnv } from "@/lib/env";

const chain = (value: string) => new Headers({ "x-forwarded-for": value });

describe("TRUST_PROXY", () => {
  it("trusts no forwarding header by default", () => {
    expect(parseEnv({}).TRUST_PROXY).toEqual(TRUST_NONE);
  });

  it("takes a number of hops or a list of proxy addresses and CIDRs", () => {
    expect(parseEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toEqual({ kind: "hops", hops: 2 });
    const cidrs = parseEnv({ TRUST_PROXY: "10.0.0.0/8, 192.168.1.7, fd00::/8" }).TRUST_PROXY;
    expect(cidrs).toMatchObject({ kind: "cidrs", cidrs: ["10.0.0.0/8", "192.168.1.7", "fd00::/8"] });
  });

  it("names the variable when a value is neither", () => {
    for (const bad of ["yes", "10.0.0.0/33", "10.0.0.0/8/1", "300.1.1.1", "fd00::/129", "11"]) {
      expect(() => parseEnv({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY must be a number of proxy hops/);
    }
  });
});

describe("client address", () => {
  it("without TRUST_PROXY is the TCP peer, whatever the client wrote to the left of it", () => {
    expect(clientAddress(chain("203.0.113.9, 198.51.100.4"), TRUST_NONE)).toBe("198.51.100.4");
    expect(clientAddress(chain("198.51.100.4"), TRUST_NONE)).toBe("198.51.100.4");
  });

  it("behind one trusted hop is the entry that proxy appended, not the client's own", () => {
    const one = trustProxySchema.parse("1");
    expect(clientAddress(chain("6.6.6.6, 203.0.113.9, 10.0.0.2"), one)).toBe("203.0.113.9");
    expect(clientAddress(chain("203.0.113.9, 10.0.0.2"), one)).toBe("203.0.113.9");
  });

  it("behind trusted CIDRs skips every trusted proxy from the right and stops at the first other address", () => {
    const proxies = trustProxySchema.parse("10.0.0.0/8,2001:db8::/32");
    expect(clientAddress(chain("6.6.6.6, 203.0.113.9, 10.1.2.3, 2001:db8::1"), proxies)).toBe("203.0.113.9");
    // An untrusted peer is the client itself, even if it claims to forward for someone.
    expect(clientAddress(chain("6.6.6.6, 203.0.113.9"), proxies)).toBe("203.0.113.9");
  });

  it("reads an IPv4 client on a dual-stack socket as IPv4", () => {
    expect(clientAddress(chain("::ffff:192.0.2.1"), TRUST_NONE)).toBe("192.0.2.1");
    expect(clientAddress(chain("192.0.2.1, ::ffff:10.0.0.2"), trustProxySchema.parse("10.0.0.0/8"))).toBe("192.0.2.1");
  });

  it("is unknown without any forwarding chain (a handler called outside the server)", () => {
    expect(clientAddress(new Headers(), TRUST_NONE)).toBe("unknown");
  });
});
