import type { Pool } from "pg";
import type { TransactionRunner } from "@/lib/delivery/rate-limit";

/** Transactions on a plain `pg` pool: tests use one to stand for a second executor process beside Prisma. */
export function pgPoolTransactions(pool: Pool): TransactionRunner {
  return async (work) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(async <Row>(sql: string, params: readonly unknown[]) => (await client.query(sql, [...params])).rows as Row[]);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}
