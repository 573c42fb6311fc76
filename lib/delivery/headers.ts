import http from "node:http";
import { reservedHeaderReason } from "@/lib/validations/endpoint";

/**
 * Which request headers an endpoint's custom headers may set. The product's own headers and the
 * ones that frame the HTTP exchange are reserved: an endpoint can never override them.
 */

export const USER_AGENT = "HookRelay-Webhooks/1.0";

/**
 * Reserved names are defined once, with the endpoint form's validation (which must also run in the
 * browser); the sender enforces the same rule so nothing stored earlier can slip through.
 */
export function isReservedHeader(name: string): boolean {
  return reservedHeaderReason(name.trim()) !== null;
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
