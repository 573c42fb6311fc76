import pg from "pg";

/**
 * A backstop only: entries are dropped as soon as any process changes a row. It bounds how long
 * an entry could outlive a change if a notification were ever lost on a live connection.
 */
export const TTL_MS = 60_000;

const RECONNECT_MS = 1_000;

/**
 * Rows the hot path reads on every request and that change rarely (event types, API keys,
 * organizations), kept in memory per process. Correctness comes from LISTEN on a channel a database
 * trigger notifies on every relevant change, by any process: the notification empties the cache.
 * While the LISTEN connection is not up, nothing is cached and every lookup reads the database.
 */
export class NotifiedCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();
  /** Bumped on every change signal: a lookup that raced a change does not store what it read. */
  private generation = 0;
  private listener: pg.Client | undefined;
  private starting: Promise<void> | undefined;
  private closed = false;
  /** After a failed attempt, lookups do not each open a connection: the next try waits this long. */
  private retryAt = 0;

  constructor(
    private readonly options: {
      /** The trigger's channel (a plain identifier). */
      channel: string;
      databaseUrl: () => string | undefined;
      load: (key: string) => Promise<V | null>;
      /** Entries kept at most; the oldest goes first. */
      maxEntries?: number;
    },
  ) {}

  async get(key: string, now = Date.now()): Promise<V | null> {
    void this.start().catch(() => {});
    const listening = this.listener !== undefined;
    const hit = listening ? this.entries.get(key) : undefined;
    if (hit && now - hit.at < TTL_MS) return hit.value;
    const generation = this.generation;
    const value = await this.options.load(key);
    // Unknown keys are not remembered: they cost a query each, but cannot fill memory.
    if (value !== null && this.listener !== undefined && generation === this.generation) {
      this.entries.delete(key);
      this.entries.set(key, { at: now, value });
      if (this.entries.size > (this.options.maxEntries ?? 10_000)) this.entries.delete(this.entries.keys().next().value!);
    } else this.entries.delete(key);
    return value;
  }

  /** Drops everything now (this process's own writes do not wait for the notification). */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Starts listening (once); resolves when changes are being received. */
  start(): Promise<void> {
    if (this.listener || this.closed) return Promise.resolve();
    if (!this.starting && Date.now() < this.retryAt) return Promise.reject(new Error("LISTEN connection failed recently"));
    this.starting ??= this.listen()
      .catch((error: unknown) => {
        this.retryAt = Date.now() + RECONNECT_MS;
        throw error;
      })
      .finally(() => (this.starting = undefined));
    return this.starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.forget();
    await listener?.end().catch(() => {});
  }

  private forget(): void {
    this.listener = undefined;
    this.generation++;
    this.entries.clear();
  }

  private async listen(): Promise<void> {
    const connectionString = this.options.databaseUrl();
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    const client = new pg.Client({ connectionString });
    const lost = () => {
      if (this.listener !== client) return;
      this.forget();
      if (!this.closed) setTimeout(() => void this.start().catch(() => {}), RECONNECT_MS).unref();
    };
    // Any change empties the whole cache: changes are rare, and this needs no bookkeeping.
    client.on("notification", () => this.invalidate());
    client.on("error", lost);
    client.on("end", lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) return void (await client.end().catch(() => {}));
    this.listener = client;
  }
}

