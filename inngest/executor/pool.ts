import pg from "pg";

/** The app process's pg pool for the executor's ingest path (raw SQL, outside Prisma's pool). */
const globalForPool = globalThis as unknown as { executorPool?: pg.Pool };

export function executorPool(): pg.Pool {
  if (!globalForPool.executorPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides it");
    const pool = new pg.Pool({ connectionString: url, max: 5 });
    // An idle connection dropped by the server (e.g. the database stopping first on Ctrl-C) must
    // not crash the app; the next query opens a new one.
    pool.on("error", (error) => console.error(`[executor ingest] database connection lost: ${error.message}`));
    globalForPool.executorPool = pool;
  }
  return globalForPool.executorPool;
}
