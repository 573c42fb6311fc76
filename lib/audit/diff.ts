/**
 * Field-level before/after diff for the audit log. Fields named in `redact` are recorded as changed
 * without their values, so secrets never reach the log.
 */
export type FieldChange = { before: unknown; after: unknown };
export type Changes = Record<string, FieldChange>;

export const REDACTED = "[redacted]";

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function diffFields<T extends Record<string, unknown>>(before: Partial<T>, after: T, redact: readonly string[] = []): Changes {
  const changes: Changes = {};
  for (const key of Object.keys({ ...before, ...after })) {
    if (same(before[key], after[key])) continue;
    changes[key] = redact.includes(key) ? { before: REDACTED, after: REDACTED } : { before: before[key] ?? null, after: after[key] ?? null };
  }
  return changes;
}
