import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inngest } from "@/inngest/client";
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
 * A real Inngest event API stand-in on loopback: the SDK's `inngest.send()` posts to
 * `<INNGEST_BASE_URL>e/<key>` and expects `{ ids, status: 200 }`. `status` lets a test make it fail.
 */
export async function startInngestReceiver() {
  const received: ReceivedEvent[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      if (req.method === "POST" && req.url?.startsWith("/e/") && state.status === 200) {
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  process.env.INNGEST_DEV = "1";
  process.env.INNGEST_BASE_URL = `http://127.0.0.1:${port}/`;
  inngest.setEnvVars();
  return {
    received,
    failWith(status: number) {
      state.status = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
