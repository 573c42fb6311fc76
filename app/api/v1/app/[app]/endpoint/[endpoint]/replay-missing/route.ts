import { postOnly, windowedRecovery } from "@/lib/api/recovery-routes";

export const dynamic = "force-dynamic";

/** Deliver the messages of `{ since, until? }` the endpoint never received (Svix's `.../endpoint/{endpoint_id}/replay-missing`). */
export const POST = windowedRecovery("replay_missing", "/api/v1/app/{app}/endpoint/{endpoint}/replay-missing");
export const { GET, PUT, PATCH, DELETE, OPTIONS } = postOnly();
