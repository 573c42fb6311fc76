import { postOnly, windowedRecovery } from "@/lib/api/recovery-routes";

export const dynamic = "force-dynamic";

/** Resend the endpoint's failed messages of `{ since, until? }` (Svix's `.../endpoint/{endpoint_id}/recover`). */
export const POST = windowedRecovery("resend_failed", "/api/v1/app/{app}/endpoint/{endpoint}/recover");
export const { GET, PUT, PATCH, DELETE, OPTIONS } = postOnly();
