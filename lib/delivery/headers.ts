import http from "node:http";

/**
 * Which request headers an endpoint's custom headers may set. The product's own headers and the
 * ones that frame the HTTP exchange are reserved: an endpoint can never override them.
 */

export const USER_AGENT = "HookRelay-Webhooks/1.0";

export const RESERVED_HEADER_NAMES: ReadonlySet<string> = new Set([
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "content-type",
  "content-length",
  "content-encoding",
  "user-agent",
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
  "proxy-authorization",
  "proxy-connection",
]);

/** Prefixes reserved for the signature schemes the product speaks or may speak. */
const RESERVED_PREFIXES = ["webhook-", "svix-"];

export function isReservedHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return RESERVED_HEADER_NAMES.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p));
}

function isValidHeader(name: string, value: string): boolean {
  try {
    http.validateHeaderName(name);
    http.validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The endpoint's custom headers that may be sent: reserved names and names or values HTTP cannot
 * carry (e.g. a newline, which would inject a header) are left out. Lower-cased names.
 */
export function allowedCustomHeaders(custom: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(custom ?? {})) {
    if (typeof value !== "string" || isReservedHeader(name) || !isValidHeader(name, value)) continue;
    result[name.toLowerCase()] = value;
  }
  return result;
}
