-- Every change to an event type, by any writer, is announced on the channel "event_type_changed"
-- (payload: the type's name) when its transaction commits. Ingestion caches types per process
-- and drops them on this signal (lib/messages/event-type-cache.ts). Written by hand: Prisma's
-- schema does not describe triggers.
CREATE FUNCTION "event_type_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('event_type_changed', OLD."name");
  ELSE
    PERFORM pg_notify('event_type_changed', NEW."name");
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "EventType_changed"
AFTER INSERT OR UPDATE OR DELETE ON "EventType"
FOR EACH ROW EXECUTE FUNCTION "event_type_changed"();
