import { getEventType, type EventTypeDetail } from "@/lib/catalog/event-types";
import { NotifiedCache } from "@/lib/db/notified-cache";

export { TTL_MS } from "@/lib/db/notified-cache";

/** The channel a database trigger announces every event type change on (see its migration). */
export const EVENT_TYPE_CHANNEL = "event_type_changed";

/**
 * Event types as ingestion sees them: every accepted event needs its type's schema, and types
 * change rarely. An archive, un-archive or schema edit committed by any process empties every
 * process's cache.
 */
export class EventTypeCache extends NotifiedCache<EventTypeDetail> {
  constructor(options: { databaseUrl: () => string | undefined; load?: (name: string) => Promise<EventTypeDetail | null> }) {
    super({ channel: EVENT_TYPE_CHANNEL, databaseUrl: options.databaseUrl, load: options.load ?? getEventType });
  }
}

/** This process's cache; it starts listening on its first lookup. */
export const eventTypeCache = new EventTypeCache({ databaseUrl: () => process.env.DATABASE_URL });

export function cachedEventType(name: string, now = Date.now()): Promise<EventTypeDetail | null> {
  return eventTypeCache.get(name, now);
}
