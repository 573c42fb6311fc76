-- The API resolves every request's key and organization from a per-process cache
-- (lib/api/authenticate.ts, lib/api/organization.ts). A change that matters to it, by any writer,
-- is announced when its transaction commits, and every process drops its cache. `lastUsedAt`
-- writes are not announced: they happen once a minute per key and change nothing the API checks.
-- Written by hand: Prisma's schema does not describe triggers.
CREATE FUNCTION "api_key_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('api_key_changed', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "ApiKey_changed"
AFTER UPDATE OF "hash", "scope", "organizationId", "revokedAt" OR DELETE ON "ApiKey"
FOR EACH ROW EXECUTE FUNCTION "api_key_changed"();

CREATE FUNCTION "organization_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('organization_changed', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Organization_changed"
AFTER UPDATE OF "id", "slug", "webhooksEnabled" OR DELETE ON "Organization"
FOR EACH ROW EXECUTE FUNCTION "organization_changed"();
