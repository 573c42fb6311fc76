import { postOnly, resendRoute } from "@/lib/api/recovery-routes";

export const dynamic = "force-dynamic";

/** Resend a message to an endpoint (Svix's `.../msg/{msg_id}/endpoint/{endpoint_id}/resend`). */
export const POST = resendRoute;
export const { GET, PUT, PATCH, DELETE, OPTIONS } = postOnly();
