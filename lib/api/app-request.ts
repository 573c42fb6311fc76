import { authenticateApiKey, mayActOn, type ApiPrincipal } from "@/lib/api/authenticate";
import { findOrganization } from "@/lib/api/organization";
import { problem } from "@/lib/api/problem";
import type { Actor } from "@/lib/audit/record";
import { db } from "@/lib/db";

type Organization = NonNullable<Awaited<ReturnType<typeof findOrganization>>>;

/**
 * The API key of a request and the organization its `{app}` segment names, checked as every
 * `/api/v1/app/{app}/...` route does: an organization key learns nothing about other
 * organizations, not even whether they exist.
 */
export async function authorizeApp(request: Request, app: string): Promise<{ ok: true; principal: ApiPrincipal; organization: Organization } | { ok: false; response: Response }> {
  const auth = await authenticateApiKey(request.headers.get("authorization"));
  if (!auth.ok) return { ok: false, response: problem("unauthorized", auth.message, null, { headers: { "www-authenticate": "Bearer" } }) };
  const organization = await findOrganization(app);
  if (!organization) {
    return {
      ok: false,
      response: auth.principal.scope === "PLATFORM" ? problem("not_found", `No organization with id or slug "${app}".`) : problem("forbidden", "This API key belongs to another organization."),
    };
  }
  if (!mayActOn(auth.principal, organization.id)) return { ok: false, response: problem("forbidden", "This API key belongs to another organization.") };
  return { ok: true, principal: auth.principal, organization };
}

/** Who an API key is in the audit log: the key's name and prefix (no user). */
export async function apiKeyActor(principal: ApiPrincipal): Promise<Actor> {
  const key = await db.apiKey.findUnique({ where: { id: principal.keyId }, select: { name: true, prefix: true } });
  return { id: null, email: key ? `API key "${key.name}" (${key.prefix}…)` : `API key ${principal.keyId}` };
}
