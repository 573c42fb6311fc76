/**
 * Which header values are secrets, and how they are shown masked: the one list the endpoint
 * overview, its activity tab and the audit logs read. A value that authenticates a request to a
 * receiver must not sit in clear on every admin's screen, nor in the audit log forever.
 */

export const MASKED_VALUE = "••••••••";

// Names as HTTP compares them (case-insensitive); `x-*-key`, `x-*-token`, `x-*-secret` included.
const SENSITIVE_NAME = /(^|[-_])(authorization|proxy-authorization|api[-_]?key|apikey|token|secret|cookie|set-cookie|password|passwd|pwd|signature|credentials?|session|auth)($|[-_])|^x-.*-(key|token|secret)$/i;

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_NAME.test(name.trim());
}

export interface NamedValue {
  name: string;
  value: string;
}

export function maskHeaderValue(name: string, value: string): string {
  return isSensitiveHeader(name) ? MASKED_VALUE : value;
}

export function maskHeaders<T extends NamedValue>(headers: readonly T[]): T[] {
  return headers.map((h) => ({ ...h, value: maskHeaderValue(h.name, h.value) }));
}

const isNamedValueList = (value: unknown): value is NamedValue[] =>
  Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null && typeof (v as NamedValue).name === "string" && typeof (v as NamedValue).value === "string");

/**
 * An audit entry's `changes` with every list of custom headers masked, wherever it sits (a field's
 * `before`/`after`, or the field itself). Applied when an entry is written and again when one is
 * read, so entries written before masking existed never show a secret either.
 */
export function maskAuditChanges<T>(changes: T): T {
  if (isNamedValueList(changes)) return maskHeaders(changes) as T;
  if (Array.isArray(changes)) return changes.map((v: unknown) => maskAuditChanges(v)) as T;
  if (typeof changes === "object" && changes !== null && !(changes instanceof Date)) {
    return Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, maskAuditChanges(v)])) as T;
  }
  return changes;
}
