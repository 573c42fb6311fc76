import pg from "pg";
import { loggerFor } from "@/lib/observability/log";

/**
 * The process's raw `pg` pool, beside Prisma's, for hot statements where the ORM's per-query work
 * shows in profiles (ingestion, the executor's ingest route). Created lazily from DATABASE_URL.
 */
const globalForPool = globalThis as unknown as { sqlPool?: pg.Pool };

export function sqlPool(): pg.Pool {
  if (!globalForPool.sqlPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides it");
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection dropped by the server (e.g. the database stopping first on Ctrl-C) must
    // not crash the app; the next query opens a new one.
    pool.on("error", (error) => loggerFor("[db]").warn(`idle connection lost: ${error.message}`));
    globalForPool.sqlPool = pool;
  }
  return globalForPool.sqlPool;
}
