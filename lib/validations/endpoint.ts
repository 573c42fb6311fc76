import { z } from "zod";
import { storableText } from "@/lib/validations/storable-json";
import { orgSlugSchema } from "@/lib/validations/organization";

/** The one set of rules for endpoint configuration: forms, server actions and the API parse with these. */

export const URL_MAX_LENGTH = 2048;
export const DESCRIPTION_MAX_LENGTH = 500;
export const RATE_LIMIT_MIN = 1;
export const RATE_LIMIT_MAX = 10_000;
export const HEADERS_MAX_COUNT = 20;
export const HEADERS_MAX_BYTES = 8 * 1024;

/**
 * Headers the platform sets itself or that frame the HTTP exchange: letting users set them would
 * break delivery or signatures. The one list: the form refuses them with a reason and the sender
 * (lib/delivery/headers.ts) drops them at send time. Kept client-safe for the browser.
 */
export const RESERVED_HEADER_NAMES = [
  "host",
  "content-length",
  "content-type",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "te",
  "trailer",
  "upgrade",
  "expect",
  "user-agent",
  "proxy-authorization",
  "proxy-connection",
];
export const RESERVED_HEADER_PREFIXES = ["webhook-", "svix-"];

export function reservedHeaderReason(name: string): string | null {
  const lower = name.toLowerCase();
  if (RESERVED_HEADER_NAMES.includes(lower)) return `${name} is set by HookRelay for every request and cannot be overridden`;
  const prefix = RESERVED_HEADER_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix) return `${prefix}* headers carry the webhook signature and cannot be set by hand`;
  return null;
}

/** RFC 9110 token characters. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const endpointUrlSchema = z
  .string({ error: "URL is required" })
  .trim()
  .min(1, "URL is required")
  .max(URL_MAX_LENGTH, `URL must be at most ${URL_MAX_LENGTH.toLocaleString("en-US")} characters`)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter a full URL such as https://example.com/webhooks" });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: `URL must start with http:// or https:// (got ${url.protocol.replace(/:$/, "")})` });
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "URL must not contain a user name or password; use a custom header for credentials" });
    }
  });

export const headerNameSchema = z
  .string()
  .trim()
  .min(1, "Header name is required")
  .max(256, "Header name must be at most 256 characters")
  .regex(HTTP_TOKEN, "Header names use letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ only (no spaces or colons)")
  .superRefine((name, ctx) => {
    const reason = reservedHeaderReason(name);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  });

export const headerValueSchema = z
  .string()
  .refine((v) => !/[\r\n]/.test(v), "Header values cannot contain line breaks")
  .refine((v) => !/\0/.test(v), "Header values cannot contain NUL characters")
  .superRefine(storableText("Header value"));

export const customHeaderSchema = z.object({ name: headerNameSchema, value: headerValueSchema });
export type CustomHeader = z.infer<typeof customHeaderSchema>;

/** `Endpoint.headers` as stored (checked by customHeadersSchema when written): read with this one schema everywhere. */
export const storedHeadersSchema = z.array(z.object({ name: z.string(), value: z.string() }));

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

export const customHeadersSchema = z
  .array(customHeaderSchema)
  .max(HEADERS_MAX_COUNT, `At most ${HEADERS_MAX_COUNT} custom headers`)
  .superRefine((headers, ctx) => {
    const seen = new Map<string, number>();
    headers.forEach((h, i) => {
      const key = h.name.trim().toLowerCase();
      if (!key) return;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `${h.name} is already set in row ${seen.get(key)! + 1}` });
      else seen.set(key, i);
    });
    const total = headers.reduce((sum, h) => sum + utf8Length(h.name) + utf8Length(h.value), 0);
    if (total > HEADERS_MAX_BYTES) {
      ctx.addIssue({ code: "custom", message: `Custom headers total ${total.toLocaleString("en-US")} bytes; the limit is ${HEADERS_MAX_BYTES.toLocaleString("en-US")} bytes (8 KB)` });
    }
  });

/**
 * Headers as the API writes them, a `{ name: value }` map (Svix's `headers`), checked by the same
 * rules as the form's rows; an issue names the header (`["X-Foo"]`) rather than a row number.
 */
export const customHeadersMapSchema = z.record(z.string(), z.string()).transform((map, ctx) => {
  const rows = Object.entries(map).map(([name, value]) => ({ name, value }));
  const parsed = customHeadersSchema.safeParse(rows);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const row = typeof issue.path[0] === "number" ? rows[issue.path[0]] : undefined;
    ctx.addIssue({ code: "custom", message: issue.message, path: row ? [row.name] : [] });
  }
  return z.NEVER;
});

const RATE_LIMIT_MESSAGE = `Rate limit must be a whole number from ${RATE_LIMIT_MIN} to ${RATE_LIMIT_MAX.toLocaleString("en-US")} messages per second, or empty for no limit`;

/** Empty (form text "", null or absent) means no limit. */
export const rateLimitSchema = z.preprocess(
  (v) => (v === "" || v === undefined || v === null ? null : typeof v === "string" ? Number(v.trim()) : v),
  z
    .number({ error: RATE_LIMIT_MESSAGE })
    .int(RATE_LIMIT_MESSAGE)
    .min(RATE_LIMIT_MIN, RATE_LIMIT_MESSAGE)
    .max(RATE_LIMIT_MAX, RATE_LIMIT_MESSAGE)
    .nullable(),
);

export const EVENT_FILTER_REQUIRED_MESSAGE =
  "Choose at least one event type. Endpoints never receive every event implicitly, so new types added later never arrive unexpectedly; use \"Select all\" to receive all current types.";

export const eventTypeFilterSchema = z
  .array(z.string().min(1).max(100), { error: EVENT_FILTER_REQUIRED_MESSAGE })
  .min(1, EVENT_FILTER_REQUIRED_MESSAGE)
  .max(1000, "At most 1,000 event types")
  .transform((names) => [...new Set(names)].sort());

export const endpointConfigSchema = z.object({
  url: endpointUrlSchema,
  description: z.string().trim().max(DESCRIPTION_MAX_LENGTH, `Description must be at most ${DESCRIPTION_MAX_LENGTH} characters`).superRefine(storableText("Description")).default(""),
  eventTypes: eventTypeFilterSchema,
  rateLimit: rateLimitSchema,
  headers: customHeadersSchema.default([]),
});

export type EndpointConfigInput = z.input<typeof endpointConfigSchema>;
export type EndpointConfig = z.output<typeof endpointConfigSchema>;

export const endpointIdSchema = z.string().regex(/^ep_[0-9A-Za-z]{8,64}$/, "Unknown endpoint id");

export const UID_MAX_LENGTH = 256;

/**
 * An endpoint's `uid` (Svix's): the API client's own name for it, unique in the organization and
 * usable wherever an endpoint id is. It may not look like an endpoint id.
 */
export const endpointUidSchema = z
  .string()
  .min(1, "uid is at least 1 character")
  .max(UID_MAX_LENGTH, `uid is at most ${UID_MAX_LENGTH} characters`)
  .regex(/^[a-zA-Z0-9\-_.]+$/, "uid uses letters, digits, - _ and . only")
  .refine((uid) => !uid.startsWith("ep_"), "uid cannot start with ep_ (that is how endpoint ids start)");

export const createEndpointSchema = endpointConfigSchema.extend({ org: orgSlugSchema });

export const URL_CHANGE_CONFIRMATION_MESSAGE =
  "Changing the URL makes every past attempt of this endpoint look as if it went to the new URL. Creating a new endpoint is recommended; confirm the change to proceed.";

/** `confirmUrlChange` must be true when the URL differs from the stored one (checked by the server). */
export const updateEndpointSchema = endpointConfigSchema.extend({
  org: orgSlugSchema,
  endpointId: endpointIdSchema,
  confirmUrlChange: z.boolean().default(false),
});

export const endpointRefSchema = z.object({ org: orgSlugSchema, endpointId: endpointIdSchema });

export const setEndpointDisabledSchema = endpointRefSchema.extend({
  disabled: z.boolean({ error: "disabled must be true or false" }),
});
