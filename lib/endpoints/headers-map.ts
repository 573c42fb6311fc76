import type { CustomHeader } from "@/lib/validations/endpoint";

/**
 * Custom headers as the API writes them: a `{ name: value }` map (Svix's), where the dashboard
 * keeps ordered rows. Names match case-insensitively, as HTTP does.
 */

export function headersToMap(headers: readonly CustomHeader[]): Record<string, string> {
  return Object.fromEntries(headers.map((h) => [h.name, h.value]));
}

/**
 * Svix's headers patch: `remove` names are dropped, `set` ones replace the header of the same
 * name in its place or are added at the end. The result is validated by the caller.
 */
export function patchHeaders(current: readonly CustomHeader[], set: Record<string, string>, remove: readonly string[]): Record<string, string> {
  const dropped = new Set(remove.map((n) => n.toLowerCase()));
  const rows = current.filter((h) => !dropped.has(h.name.toLowerCase())).map((h) => ({ ...h }));
  for (const [name, value] of Object.entries(set)) {
    const existing = rows.find((h) => h.name.toLowerCase() === name.toLowerCase());
    if (existing) Object.assign(existing, { name, value });
    else rows.push({ name, value });
  }
  return headersToMap(rows);
}
