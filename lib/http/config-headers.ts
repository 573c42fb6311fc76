import type { IncomingHttpHeaders } from "node:http";
import { z } from "zod";

/**
 * The headers `next.config.mjs` puts on every answer (`headers()`), applied by a server that answers
 * without Next (the plain API path, lib/api/v1/node.ts), so that its answers carry the same ones.
 * next.config stays their one source; this reads its rules as Next does, for the forms it uses: a
 * source of every path (`/:path*`) and `has`/`missing` conditions on request headers, whose value
 * is a regular expression of the whole value (Next's `matchHas`). A rule of any other form is
 * refused when the server starts, rather than answered differently from Next.
 */

const condition = z.strictObject({ type: z.literal("header"), key: z.string().min(1), value: z.string().optional() });

const ruleSchema = z.strictObject({
  source: z.literal("/:path*", { error: "the plain API path applies only rules whose source is /:path* (every path)" }),
  has: z.array(condition).optional(),
  missing: z.array(condition).optional(),
  headers: z.array(z.strictObject({ key: z.string().min(1), value: z.string().refine((v) => !v.includes(":"), "a header value with a :parameter is not supported") })),
});

type Condition = (headers: IncomingHttpHeaders) => boolean;

/** Next's `matchHas` for a header: present (and non-empty), and when a value is given, its last value matching it whole. */
function conditionOf(entry: z.infer<typeof condition>): Condition {
  const key = entry.key.toLowerCase();
  const matcher = entry.value === undefined ? null : new RegExp(`^${entry.value}$`);
  return (headers) => {
    const sent = headers[key];
    const value = Array.isArray(sent) ? sent.at(-1) : sent;
    if (!value) return false;
    return matcher ? matcher.test(value) : true;
  };
}

/** The answer headers of `rules` for a request, in the order Next sets them (a later rule's header replaces an earlier one's). */
export type ConfigHeaders = (headers: IncomingHttpHeaders) => [name: string, value: string][];

export function configHeaders(rules: unknown): ConfigHeaders {
  const parsed = z.array(ruleSchema).safeParse(rules);
  if (!parsed.success) throw new Error(`next.config headers() has a rule the plain API path cannot apply as Next does: ${z.prettifyError(parsed.error)}`);
  const compiled = parsed.data.map((rule) => {
    const has = (rule.has ?? []).map(conditionOf);
    const missing = (rule.missing ?? []).map(conditionOf);
    return { applies: (h: IncomingHttpHeaders) => has.every((c) => c(h)) && !missing.some((c) => c(h)), headers: rule.headers.map((h) => [h.key, h.value] as [string, string]) };
  });
  return (headers) => compiled.flatMap((rule) => (rule.applies(headers) ? rule.headers : []));
}
