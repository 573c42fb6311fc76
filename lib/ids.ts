import { z } from "zod";

/**
 * Every id the product makes, from one place: its format, how TypeScript makes one, how a SQL
 * statement makes one, and a type per kind. A `DeliveryId` is a string to the database and the
 * wire, but not to the compiler: passing an `EndpointId` where a `DeliveryId` is wanted fails the
 * type-check (tests/unit/ids.types.ts).
 *
 * Formats are readable and prefixed like Svix's, which the API mirrors:
 * - `ep_`, `msg_`, `qtask_` + 22 base62 characters (~131 random bits), made in TypeScript;
 * - `dlv_`, `atmpt_` + 32 hex characters (a v4 UUID, 122 random bits), made by the SQL statements
 *   that insert many rows at once (a message's fan-out, a batch of attempts).
 * Attempts were `att_…` before Svix's `atmpt_` was adopted: stored ones keep that id, and every
 * lookup takes both. Organizations keep the id Prisma gives them (a cuid, no prefix); the API also
 * takes their slug.
 */

declare const kindOf: unique symbol;
export type Id<K extends string> = string & { readonly [kindOf]: K };

export type OrganizationId = Id<"organization">;
export type EndpointId = Id<"endpoint">;
export type MessageId = Id<"message">;
export type DeliveryId = Id<"delivery">;
export type AttemptId = Id<"attempt">;
export type TaskId = Id<"task">;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Random bytes from the Web Crypto API (this module is also bundled for the browser, with its
 * schemas), drawn 4 KB at a time: one call per id cost more than the rest of an API call's
 * JavaScript on the ingestion path.
 */
let pool = new Uint8Array(0);
let next = 0;

/** Uniform base62. */
function base62(length: number): string {
  let out = "";
  while (out.length < length) {
    if (next >= pool.length) {
      pool = crypto.getRandomValues(new Uint8Array(4096));
      next = 0;
    }
    const byte = pool[next++]!;
    // 248 = 4 × 62: rejecting the bytes above it keeps every character equally likely.
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out;
}

interface KindSpec {
  /** Prefixes before `_`: the first is the one new ids get, the others are older ones still resolved. */
  prefixes: readonly [string, ...string[]];
  /** What follows the prefix, for new and stored ids alike (stored test and load data included). */
  body: RegExp;
  make: () => string;
}

interface Kind<K extends string> {
  /** A new id of this kind. */
  generate(): Id<K>;
  /** Whether `value` has this kind's format (any of its prefixes). */
  is(value: string): value is Id<K>;
  /** An id read back from storage, or already checked: no check, the type only. */
  of(value: string): Id<K>;
  /** zod: a string in this kind's format, typed as the id (route params, action inputs). */
  schema(message?: string): z.ZodType<Id<K>, string>;
  readonly prefix: string;
}

function kind<K extends string>(name: K, spec: KindSpec): Kind<K> {
  const pattern = new RegExp(`^(?:${spec.prefixes.join("|")})_${spec.body.source}$`);
  return {
    generate: () => `${spec.prefixes[0]}_${spec.make()}` as Id<K>,
    is: (value): value is Id<K> => pattern.test(value),
    of: (value) => value as Id<K>,
    schema: (message = `Unknown ${name} id`) =>
      z
        .string()
        .regex(pattern, message)
        .transform((value) => value as Id<K>),
    prefix: spec.prefixes[0],
  };
}

const base62Kind = (prefix: string) => ({ prefixes: [prefix] as const, body: /[0-9A-Za-z]{8,64}/, make: () => base62(22) });
const hex = () => crypto.randomUUID().replaceAll("-", "");

export const ids = {
  endpoint: kind("endpoint", base62Kind("ep")),
  message: kind("message", base62Kind("msg")),
  task: kind("task", base62Kind("qtask")),
  delivery: kind("delivery", { prefixes: ["dlv"], body: /[0-9a-f]{24,32}/, make: hex }),
  attempt: kind("attempt", { prefixes: ["atmpt", "att"], body: /[0-9a-f]{24,32}/, make: hex }),
  organization: { of: (value: string) => value as OrganizationId },
};

/**
 * SQL expressions (text to splice into a statement, no parameters) that make a new id of a kind
 * for each row the statement inserts: the same format as `ids.<kind>.generate()`.
 */
export const NEW_ID_SQL = {
  delivery: `'${ids.delivery.prefix}_' || replace(gen_random_uuid()::text, '-', '')`,
  attempt: `'${ids.attempt.prefix}_' || replace(gen_random_uuid()::text, '-', '')`,
} as const;
