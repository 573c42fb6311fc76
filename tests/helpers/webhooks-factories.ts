import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { seedCatalog } from "@/lib/catalog/event-types";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Tests read secrets back, so they need a key; a fresh one per run keeps nothing on disk. */
export function setTestEncryptionKey() {
  process.env.APP_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
}

/** The seeded catalog; idempotent and safe when test files run in parallel. */
export async function ensureCatalog() {
  await seedCatalog(db, SEED_CATALOG);
}

export async function createArchivedEventType(name: string) {
  const entry = SEED_CATALOG[0]!;
  return db.eventType.create({
    data: { name, group: name.split(".")[0]!, description: "archived for a test", schema: entry.schema as Prisma.InputJsonObject, examples: entry.examples as unknown as Prisma.InputJsonArray, archivedAt: new Date() },
  });
}

export const endpointInput = (org: string, overrides: Record<string, unknown> = {}) => ({
  org,
  url: "https://hooks.example.test/in",
  description: "Billing system",
  eventTypes: ["contract.created", "contract.cancelled"],
  rateLimit: "",
  headers: [],
  ...overrides,
});

export interface ReceivedEvent {
  path: string;
  events: { name: string; data: Record<string, unknown> }[];
}

/**
 * A stand-in for the app's embedded ingest route on loopback: the SDK's `inngest.send()` posts to
 * `/api/inngest/e/<key>` and expects `{ ids, status: 200 }`. `status` lets a test make it fail.
 */
export async function startInngestReceiver() {
  const received: ReceivedEvent[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      if (req.method === "POST" && req.url?.startsWith("/api/inngest/e/") && state.status === 200) {
        const events = JSON.parse(body) as ReceivedEvent["events"];
        received.push({ path: req.url, events });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ids: events.map((_, i) => `evt-${received.length}-${i}`), status: 200 }));
        return;
      }
      res.writeHead(state.status === 200 ? 404 : state.status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "unavailable", status: state.status }));
    });
  });
  // The app's client posts to EXECUTOR_APP_URL's ingest route (tests/setup/app-env.ts).
  await new Promise<void>((resolve) => server.listen(Number(process.env.TEST_APP_PORT), "127.0.0.1", resolve));
  return {
    received,
    failWith(status: number) {
      state.status = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
