/** Event type names are dotted (`contract.created`); the group is the part before the first dot. */
export const EVENT_TYPE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export function groupOf(name: string): string {
  return name.split(".", 1)[0] ?? name;
}

/** Groups names (or items with a name) by prefix, groups and members sorted alphabetically. */
export function groupByPrefix<T extends { name: string }>(items: T[]): { group: string; items: T[] }[] {
  const map = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => a.name.localeCompare(b.name))) {
    const group = groupOf(item.name);
    map.set(group, [...(map.get(group) ?? []), item]);
  }
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([group, members]) => ({ group, items: members }));
}

/** Case-insensitive match on name or description: the catalog's search box. */
export function matchesSearch(item: { name: string; description: string }, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return item.name.toLowerCase().includes(q) || item.description.toLowerCase().includes(q);
}
