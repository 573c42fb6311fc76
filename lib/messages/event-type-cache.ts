import { getEventType, type EventTypeDetail } from "@/lib/catalog/event-types";

/**
 * Event types as ingestion sees them, kept for a few seconds per process: every accepted event
 * needs its type's schema, and types change rarely. A staff edit or archive reaches ingestion
 * within TTL_MS.
 */
export const TTL_MS = 5_000;

const cache = new Map<string, { at: number; type: EventTypeDetail | null }>();

export async function cachedEventType(name: string, now = Date.now()): Promise<EventTypeDetail | null> {
  const hit = cache.get(name);
  if (hit && now - hit.at < TTL_MS) return hit.type;
  const type = await getEventType(name);
  // Unknown names are not remembered: they cost a query each, but cannot fill memory.
  if (type) cache.set(name, { at: now, type });
  else cache.delete(name);
  return type;
}
