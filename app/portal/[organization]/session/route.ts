import { z } from "zod";
import { isHttps } from "@/lib/http/forwarded";
import { checkPortalEntry } from "@/lib/portal/access";
import { portalSetCookie } from "@/lib/portal/cookie";
import { webhooksPath } from "@/lib/routes";

const entrySchema = z.object({ token: z.string().max(200) });

const NO_STORE = { "cache-control": "no-store" };

/**
 * The portal's entry page posts the link's token here (from the URL fragment, so it was in no
 * address a server or a Referer saw); a valid one becomes the portal cookie. JSON only: a form
 * from another site cannot post it without a CORS preflight, which this route does not answer.
 */
export async function POST(request: Request, { params }: { params: Promise<{ organization: string }> }) {
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    return Response.json({ code: "unsupported_media_type", message: "Send the token as JSON." }, { status: 415, headers: NO_STORE });
  }
  const body = entrySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ code: "invalid_link", message: "The link carries no token." }, { status: 400, headers: NO_STORE });
  const checked = await checkPortalEntry((await params).organization, body.data.token);
  if (!checked.ok) return Response.json({ code: checked.code, message: checked.message }, { status: checked.status, headers: NO_STORE });
  const { slug } = checked.grant.organization;
  const cookie = portalSetCookie(body.data.token, { slug, expiresAt: checked.grant.expiresAt, https: isHttps(request.headers) });
  return Response.json({ location: webhooksPath(slug) }, { headers: { ...NO_STORE, "set-cookie": cookie } });
}
