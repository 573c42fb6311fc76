import net from "node:net";

/**
 * Server-side request forgery policy: which IP addresses a webhook may be delivered to. Pure
 * decisions only; lib/delivery/guarded-agent.ts enforces them when a connection is opened.
 */

export type AddressCategory =
  | "public"
  | "loopback"
  | "private"
  | "link_local"
  | "cgnat"
  | "multicast"
  | "unspecified"
  | "broadcast"
  | "reserved"
  | "documentation"
  | "metadata";

interface IpValue {
  family: 4 | 6;
  value: bigint;
}

export interface Cidr extends IpValue {
  prefix: number;
  /** As written in the configuration, for messages. */
  text: string;
}

/** Addresses in these ranges are allowed even though they are not public. */
export interface AddressPolicy {
  allowed: readonly Cidr[];
}

export class CidrError extends Error {}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint {
  return text.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function parseIpv6(text: string): bigint {
  let address = text;
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two hex groups, so the rest is plain hex.
  const lastColon = address.lastIndexOf(":");
  if (address.includes(".", lastColon)) {
    const v4 = parseIpv4(address.slice(lastColon + 1));
    address = `${address.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = address.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...new Array<string>(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** Parses an IPv4 or IPv6 literal (an IPv6 zone such as `%eth0` is ignored); null if not an IP. */
function parseIp(text: string): IpValue | null {
  const address = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = net.isIP(address);
  if (family === 4) return { family: 4, value: parseIpv4(address) };
  if (family === 6) return { family: 6, value: parseIpv6(address.toLowerCase()) };
  return null;
}

function cidr(text: string): Cidr {
  const [address, prefixText] = text.split("/");
  const ip = parseIp(address);
  if (!ip) throw new CidrError(`"${text}" is not a CIDR: expected an IP address with an optional /prefix, e.g. 10.0.0.0/8 or ::1/128`);
  const bits = BITS[ip.family];
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
    throw new CidrError(`"${text}" has an invalid prefix length: use /0 to /${bits} for IPv${ip.family}`);
  }
  const hostBits = BigInt(bits - prefix);
  if ((ip.value >> hostBits) << hostBits !== ip.value) {
    throw new CidrError(`"${text}" has bits set after the /${prefix} prefix: write the network address of the range`);
  }
  return { ...ip, prefix, text };
}

function contains(range: Cidr, ip: IpValue): boolean {
  if (range.family !== ip.family) return false;
  const shift = BigInt(BITS[ip.family] - range.prefix);
  return ip.value >> shift === range.value >> shift;
}

/**
 * Parses WEBHOOK_ALLOWED_CIDRS: comma-separated CIDRs or bare addresses. "" or "none" allows
 * nothing beyond public addresses.
 */
export function parseCidrList(text: string): Cidr[] {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.toLowerCase() === "none") return [];
  return trimmed.split(",").map((item, i) => {
    const entry = item.trim();
    if (!entry) throw new CidrError(`entry ${i + 1} is empty: remove the extra comma`);
    return cidr(entry);
  });
}

/** First match wins, so narrower ranges come before the ranges that contain them. */
const IPV4_RANGES: ReadonlyArray<[Cidr, AddressCategory]> = (
  [
    ["0.0.0.0/32", "unspecified"],
    ["0.0.0.0/8", "reserved"],
    ["10.0.0.0/8", "private"],
    ["100.100.100.200/32", "metadata"],
    ["100.64.0.0/10", "cgnat"],
    ["127.0.0.0/8", "loopback"],
    ["169.254.169.254/32", "metadata"],
    ["169.254.170.2/32", "metadata"],
    ["169.254.0.0/16", "link_local"],
    ["172.16.0.0/12", "private"],
    ["192.0.0.0/24", "reserved"],
    ["192.0.2.0/24", "documentation"],
    ["192.88.99.0/24", "reserved"],
    ["192.168.0.0/16", "private"],
    ["198.18.0.0/15", "reserved"],
    ["198.51.100.0/24", "documentation"],
    ["203.0.113.0/24", "documentation"],
    ["224.0.0.0/4", "multicast"],
    ["255.255.255.255/32", "broadcast"],
    ["240.0.0.0/4", "reserved"],
  ] as const
).map(([text, category]) => [cidr(text), category]);

const IPV6_RANGES: ReadonlyArray<[Cidr, AddressCategory]> = (
  [
    ["::/128", "unspecified"],
    ["::1/128", "loopback"],
    ["fd00:ec2::254/128", "metadata"],
    ["fc00::/7", "private"],
    ["fe80::/10", "link_local"],
    ["fec0::/10", "reserved"],
    ["ff00::/8", "multicast"],
    ["2001:db8::/32", "documentation"],
    ["3fff::/20", "documentation"],
    ["2001::/23", "reserved"],
    ["2000::/3", "public"],
    // Everything outside 2000::/3 is unallocated or special-purpose (IPv4-compatible, discard, ...).
    ["::/0", "reserved"],
  ] as const
).map(([text, category]) => [cidr(text), category]);

const IPV4_MAPPED = cidr("::ffff:0:0/96");
const NAT64 = cidr("64:ff9b::/96");
const SIX_TO_FOUR = cidr("2002::/16");

/**
 * The IPv4 address an IPv6 address stands for: IPv4-mapped (`::ffff:a.b.c.d`), NAT64
 * (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::`) all reach that IPv4 host.
 */
function embeddedIpv4(ip: IpValue): IpValue | null {
  if (ip.family !== 6) return null;
  if (contains(IPV4_MAPPED, ip) || contains(NAT64, ip)) return { family: 4, value: ip.value & 0xffffffffn };
  if (contains(SIX_TO_FOUR, ip)) return { family: 4, value: (ip.value >> 80n) & 0xffffffffn };
  return null;
}

function categoryOf(ip: IpValue): AddressCategory {
  const v4 = embeddedIpv4(ip);
  if (v4) return categoryOf(v4);
  const table = ip.family === 4 ? IPV4_RANGES : IPV6_RANGES;
  return table.find(([range]) => contains(range, ip))?.[1] ?? "public";
}

export interface AddressDecision {
  allowed: boolean;
  category: AddressCategory;
  /** The allow-list entry that admitted a non-public address. */
  allowedBy?: string;
}

/**
 * Public addresses are allowed; any other address only when an allow-list range contains it (an
 * IPv4-mapped IPv6 address is matched as the IPv4 address it is). Not an IP: refused.
 */
export function checkAddress(ip: string, policy: AddressPolicy): AddressDecision {
  const parsed = parseIp(ip);
  if (!parsed) return { allowed: false, category: "reserved" };
  const category = categoryOf(parsed);
  if (category === "public") return { allowed: true, category };
  const mapped = contains(IPV4_MAPPED, parsed) ? embeddedIpv4(parsed) : null;
  const match = policy.allowed.find((range) => contains(range, parsed) || (mapped !== null && contains(range, mapped)));
  return match ? { allowed: true, category, allowedBy: match.text } : { allowed: false, category };
}
