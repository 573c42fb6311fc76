import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";
import type { TLSSocket } from "node:tls";
import { z } from "zod";

/**
 * How much of the `X-Forwarded-*` headers to believe. A client can send any header it likes, so
 * by default none is believed: the address counted is the TCP peer's. Behind reverse proxies,
 * `TRUST_PROXY` says which of the right-hand entries of `X-Forwarded-For` they appended: a number
 * of hops, or the proxies' addresses as CIDRs (the way nginx's `set_real_ip_from` and Express's
 * `trust proxy` work).
 */
export type TrustProxy = { kind: "hops"; hops: number } | { kind: "cidrs"; cidrs: string[]; list: BlockList };

export const TRUST_NONE: TrustProxy = { kind: "hops", hops: 0 };

function parseCidr(entry: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const [address = "", prefixText, extra] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

export const trustProxySchema = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= 10) return { kind: "hops", hops };
    }
    const entries = value.split(",").map((e) => e.trim()).filter(Boolean);
    const list = new BlockList();
    for (const entry of entries) {
      const cidr = parseCidr(entry);
      if (!cidr) {
        ctx.addIssue({
          code: "custom",
          message: `TRUST_PROXY must be a number of proxy hops (0-10) or a comma-separated list of proxy addresses/CIDRs; "${entry}" is neither`,
        });
        return z.NEVER;
      }
      list.addSubnet(cidr.address, cidr.prefix, cidr.family);
    }
    if (entries.length === 0) return TRUST_NONE;
    return { kind: "cidrs", cidrs: entries, list };
  });

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is `10.0.0.1`. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

function isTrusted(address: string, trust: TrustProxy, hopsFromRight: number): boolean {
  if (trust.kind === "hops") return hopsFromRight < trust.hops;
  const version = isIP(address);
  return version !== 0 && trust.list.check(address, version === 4 ? "ipv4" : "ipv6");
}

function chainOf(headers: { get(name: string): string | null }): string[] {
  return (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map(normalizeAddress)
    .filter(Boolean);
}

/**
 * Run by the HTTP server before Next sees a request, so that the app's headers always end with
 * the TCP peer: it appends the peer to `X-Forwarded-For` as every proxy does (Next itself only
 * fills the header when the client sent none, keeping a forged one). `X-Forwarded-Proto` and
 * `-Host` are kept only from a trusted proxy; otherwise they describe this socket.
 */
export function recordPeer(req: IncomingMessage, trust: TrustProxy): void {
  const peer = normalizeAddress(req.socket.remoteAddress ?? "") || "unknown";
  const sent = req.headers["x-forwarded-for"];
  const forwarded = Array.isArray(sent) ? sent.join(", ") : sent;
  req.headers["x-forwarded-for"] = forwarded?.trim() ? `${forwarded}, ${peer}` : peer;
  if (!isTrusted(peer, trust, 0)) {
    req.headers["x-forwarded-proto"] = (req.socket as TLSSocket).encrypted ? "https" : "http";
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-port"];
    return;
  }
  const proto = String(req.headers["x-forwarded-proto"] ?? "").split(",")[0]!.trim().toLowerCase();
  req.headers["x-forwarded-proto"] = proto === "https" ? "https" : "http";
}

/**
 * The client's address: walking `X-Forwarded-For` from the right (the entry our server appended
 * is the TCP peer), past every trusted proxy. Entries further left were written by the client or
 * by proxies we do not know, so they are never read.
 */
export function clientAddress(headers: { get(name: string): string | null }, trust: TrustProxy): string {
  const chain = chainOf(headers);
  // Only a request that bypassed the server (a handler called directly) has no chain at all.
  if (chain.length === 0) return "unknown";
  let index = chain.length - 1;
  while (index > 0 && isTrusted(chain[index]!, trust, chain.length - 1 - index)) index--;
  return chain[index]!;
}

/** Whether the request reached us over HTTPS, as far as the headers `recordPeer` left can say. */
export function isHttps(headers: { get(name: string): string | null }): boolean {
  return headers.get("x-forwarded-proto") === "https";
}
