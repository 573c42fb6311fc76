/**
 * The message API (message.create) on a throwaway PostgreSQL, no executor, embedded-mode ingestion
 * in process. Three ways, same run:
 *
 * - the route handler alone, called in this process (no HTTP server): the pipeline's own cost;
 * - over HTTP to the production server (`scripts/serve.ts`, the build in NEXT_DIST_DIR or .next,
 *   built first if needed), once with `API_PLAIN_PATH=off` (Next's route) and once as shipped (the
 *   plain Node path, lib/api/v1/node.ts), each beside a trivial route of the same server
 *   (`GET /api/v1/health`, no database).
 *
 * Printed per way: msg/s, and CPU per accepted message of the process that served it (the server's,
 * read from /proc, for the HTTP ways; this process's for the handler alone). Two measured rounds
 * each, after a warm-up. `npm run bench:delivery` measures the whole app.
 *
 *   npm run bench:ingest [-- messages=3000 endpoints=1 clients=32]
 *   BENCH_CPU_PROF=/tmp/prof npm run bench:ingest    also writes each server's CPU profiles there (plain-off/, plain-on/)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Agent, request } from "undici";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { buildIfNeeded } from "@/scripts/lib/build";
import { createTestDatabase, freePort } from "@/scripts/lib/test-database";

const [messages, endpoints, clients] = [3_000, 1, 32].map((d, i) => Math.min(Number(process.argv[2 + i] ?? d), [50_000, 50, 256][i]!));
const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;
const root = path.resolve(import.meta.dirname, "..");
const ROUNDS = 2;
/** Calls before the measured rounds: with fewer, the first round still ran cold code (JIT, pools) and read slower. */
const WARM_UP = 2_000;

/** User + system CPU of one process so far, in ms (/proc, Linux; clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

let sequence = 0;
function messageBody(): string {
  const n = sequence++;
  return JSON.stringify({ eventType: "contract.created", payload: { ...payload, occurred_at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString().replace(".000", "") } });
}

/** `count` calls of `call`, `clients` at a time: calls per second, and the CPU `cpu()` counted meanwhile per call. */
async function measure(count: number, call: () => Promise<void>, cpu: () => number) {
  let started = 0;
  const cpuBefore = cpu();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (started < count) {
        started++;
        await call();
      }
    }),
  );
  const wall = performance.now() - t0;
  return { rate: count / (wall / 1000), cpuMs: (cpu() - cpuBefore) / count };
}

async function startServer(env: NodeJS.ProcessEnv, port: number, plain: "on" | "off"): Promise<ChildProcess> {
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.join(process.env.BENCH_CPU_PROF, `plain-${plain}`)}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", path.join(root, "scripts/serve.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, PORT: String(port), API_PLAIN_PATH: plain },
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`);
    if (output.includes("listening on port")) return child;
    if (Date.now() > deadline) throw new Error(`the server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function main() {
  process.env.APP_ENCRYPTION_KEY = randomBytes(32).toString("base64");
  const database = await createTestDatabase("bench_ingest");
  process.env.DATABASE_URL = database.url;
  process.env.EXECUTOR_KEY = randomBytes(24).toString("hex");
  process.env.EXECUTOR_INGEST_IN_PROCESS = "1";
  process.env.PORT ??= "3999";
  // The per-key limit's statement runs on every call (its cost is measured); the limit itself is never reached.
  process.env.API_RATE_LIMIT_PER_SECOND ??= "1000000";
  const { db } = await import("@/lib/db");
  const { seedCatalog } = await import("@/lib/catalog/event-types");
  const { createApiKey } = await import("@/lib/api-keys/manage");
  const { createEndpoint } = await import("@/lib/endpoints/endpoints");
  const { endpointConfigSchema } = await import("@/lib/validations/endpoint");
  const { POST } = await import("@/app/api/v1/app/[app_id]/msg/route");
  const servers: ChildProcess[] = [];
  const agent = new Agent({ connections: clients, pipelining: 1 });
  try {
    await seedCatalog(db, SEED_CATALOG);
    const user = await db.user.create({ data: { email: `bench-${Date.now()}@bench.test`, passwordHash: "!" } });
    const org = await db.organization.create({ data: { name: "Bench", slug: `bench-${Date.now()}`, webhooksEnabled: true } });
    for (let e = 0; e < endpoints; e++) {
      const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `http://127.0.0.1:9/e${e}`, eventTypes: ["contract.created"], rateLimit: "" }), { id: user.id, email: user.email });
      if (!created.ok) throw new Error(created.message);
    }
    const { key } = await createApiKey({ name: "bench", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const rows: string[] = [];
    const report = (way: string, r: { rate: number; cpuMs: number }, extra = "") => {
      const line = `${way}: ${r.rate.toFixed(0)} msg/s, ${r.cpuMs.toFixed(2)} ms CPU per message${extra}`;
      console.log(`[ingest] ${line}`);
      rows.push(line);
    };

    // 1. The route handler in this process.
    const direct = async () => {
      const res = await POST(new Request(`http://127.0.0.1/api/v1/app/${org.slug}/msg`, { method: "POST", headers, body: messageBody() }));
      if (res.status !== 202) throw new Error(`answered ${res.status}: ${await res.text()}`);
      await res.text();
    };
    const selfCpu = () => {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1000;
    };
    await measure(WARM_UP, direct, selfCpu);
    for (let i = 0; i < ROUNDS; i++) report(`round ${i + 1}, route handler in process (no HTTP)`, await measure(messages, direct, selfCpu), " (this process)");

    // 2. Over HTTP, Next's route, then the plain path.
    buildIfNeeded(root, (line) => console.log(`[ingest] ${line}`));
    const serverEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_TRUST_HOST: "true",
    };
    for (const plain of ["off", "on"] as const) {
      const port = await freePort();
      const server = await startServer(serverEnv, port, plain);
      servers.push(server);
      const base = `http://127.0.0.1:${port}`;
      const post = async () => {
        const res = await request(`${base}/api/v1/app/${org.slug}/msg`, { method: "POST", headers, body: messageBody(), dispatcher: agent });
        const text = await res.body.text();
        if (res.statusCode !== 202) throw new Error(`answered ${res.statusCode}: ${text}`);
      };
      const health = async () => {
        const res = await request(`${base}/api/v1/health`, { dispatcher: agent });
        await res.body.text();
        if (res.statusCode !== 204) throw new Error(`GET /api/v1/health answered ${res.statusCode}`);
      };
      const serverCpu = () => processCpuMs(server.pid!);
      await measure(WARM_UP, post, serverCpu);
      await measure(WARM_UP, health, serverCpu);
      const way = plain === "on" ? "plain Node path" : "Next's route";
      for (let i = 0; i < ROUNDS; i++) {
        const trivial = await measure(messages, health, serverCpu);
        const ingest = await measure(messages, post, serverCpu);
        report(
          `round ${i + 1}, ${way} over HTTP`,
          ingest,
          ` (server process); trivial route ${trivial.rate.toFixed(0)} req/s, ${trivial.cpuMs.toFixed(2)} ms CPU per request; ingest ÷ trivial = ${(ingest.rate / trivial.rate).toFixed(2)}`,
        );
      }
      const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
      console.log(`[ingest] ${way}: server RSS after the rounds ${rssMb.toFixed(0)} MB`);
      rows.push(`${way}: server RSS after the rounds ${rssMb.toFixed(0)} MB`);
      await stopServer(server);
    }
    const [{ count }] = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM executor_events`;
    console.log(`[ingest] ${messages} messages per round × ${endpoints} endpoint(s), ${clients} clients; executor events stored: ${count}`);
    console.log(rows.map((r) => `  ${r}`).join("\n"));
  } finally {
    await Promise.all(servers.map(stopServer));
    await agent.close();
    await db.$disconnect();
    await database.cleanup();
  }
  process.exit(0);
}

void main();
