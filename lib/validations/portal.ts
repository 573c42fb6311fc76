import { z } from "zod";
import { orgSlugSchema } from "@/lib/validations/organization";

export const MAX_PORTAL_ORIGINS = 20;

/** A DNS name, an IPv4 address or a bracketed IPv6 address: `URL` alone lets `*` through, which CSP would read as a wildcard. */
const HOST_NAME = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/;

/**
 * An origin allowed to frame the portal: `scheme://host[:port]`, http or https, nothing after the
 * host (a trailing slash is dropped). It ends up in a Content-Security-Policy header, so only what
 * `URL` itself writes as an origin is accepted.
 */
export const portalOriginSchema = z
  .string()
  .trim()
  .min(1, "Enter an origin such as https://app.example.com")
  .max(255, "An origin has at most 255 characters")
  .transform((value, ctx) => {
    const candidate = value.replace(/\/$/, "").toLowerCase();
    let url: URL | null = null;
    try {
      url = new URL(candidate);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.origin !== candidate || !HOST_NAME.test(url.hostname)) {
      ctx.addIssue({ code: "custom", message: `"${value}" is not an origin: write scheme://host[:port], e.g. https://app.example.com (no path, no wildcard)` });
      return z.NEVER;
    }
    return url.origin;
  });

export const portalOriginsSchema = z
  .array(portalOriginSchema)
  .max(MAX_PORTAL_ORIGINS, `At most ${MAX_PORTAL_ORIGINS} origins`)
  .transform((origins) => [...new Set(origins)]);

/** The settings form: the whole list, as edited. */
export const setPortalOriginsSchema = z.object({ org: orgSlugSchema, origins: portalOriginsSchema });
export type SetPortalOriginsInput = z.input<typeof setPortalOriginsSchema>;

export const revokePortalSessionsSchema = z.object({ org: orgSlugSchema });

export const portalSignOutSchema = z.object({ org: orgSlugSchema });

export const createPortalLinkSchema = z.object({ org: orgSlugSchema, readOnly: z.boolean({ error: "readOnly must be true or false" }) });
