import type { ApiPrincipal } from "@/lib/api/authenticate";
import type { Actor } from "@/lib/audit/record";

/** Who an API key is in the audit log: the key's name and prefix (no user), from the key already read to authenticate. */
export async function apiKeyActor(principal: ApiPrincipal): Promise<Actor> {
  return { id: null, email: principal.label };
}
