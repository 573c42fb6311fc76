import { Prisma } from "@/lib/generated/prisma/client";

/**
 * A hot statement composed once from `Prisma.sql` fragments (each module writes its own part, no
 * `$n` numbers to keep in step across files) and bound by name on every call: composing the
 * fragments costs more than the rest of a call's JavaScript, so it is done once per process.
 *
 *   const insert = preparedStatement("insert-x", (p: Params<"id" | "at">) => Prisma.sql`INSERT ... VALUES (${p.id}, ${p.at})`);
 *   await pool.query(insert.bind({ id, at }));
 */

const PARAM = Symbol("parameter");

interface Marker {
  readonly [PARAM]: string;
}

/** Placeholders of a prepared statement, by name: interpolate them in `Prisma.sql` like values. */
export type Params<K extends string> = { readonly [P in K]: Marker };

export interface PreparedStatement<K extends string> {
  readonly name: string;
  readonly text: string;
  /** The statement with these values, for `pg` (a named, server-side prepared statement). */
  bind(values: Record<K, unknown>): { name: string; text: string; values: unknown[] };
  /** The values in the statement's order, for `$queryRawUnsafe(text, ...values)`. */
  values(values: Record<K, unknown>): unknown[];
}

export function preparedStatement<K extends string>(name: string, build: (params: Params<K>) => Prisma.Sql): PreparedStatement<K> {
  const params = new Proxy({} as Params<K>, { get: (_, key) => ({ [PARAM]: String(key) }) });
  const sql = build(params);
  const order = sql.values.map((value) => {
    const key = (value as Partial<Marker> | null)?.[PARAM];
    if (key === undefined) throw new Error(`prepared statement ${name}: every value must be a named parameter, found ${JSON.stringify(value)}`);
    return key as K;
  });
  const valuesOf = (values: Record<K, unknown>) => order.map((key) => values[key]);
  return { name, text: sql.text, values: valuesOf, bind: (values) => ({ name, text: sql.text, values: valuesOf(values) }) };
}
