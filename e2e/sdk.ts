import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApiException, Svix } from "svix";
import { generateApiKey } from "../lib/api-keys/key";
import type { E2eData } from "./fixtures";

/**
 * Helpers of the specs that drive the API with the official `svix` SDK as their only client,
 * against the running app (playwright.config.ts's web server).
 */

export function serverUrl(): string {
  return `http://127.0.0.1:${process.env.E2E_PORT}`;
}

/** The SDK pointed at this server (no retries of 5xx, so a server error fails the spec at once). */
export function svix(key: string): Svix {
  // An empty retry schedule means no retry (numRetries: 0 would read as "default").
  return new Svix(key, { serverUrl: serverUrl(), retryScheduleInMs: [] });
}

/** The ApiException a call fails with (the spec fails if the call succeeds or fails otherwise). */
export async function apiFailure(call: Promise<unknown>): Promise<ApiException<{ code?: string; detail?: unknown }>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) return error as ApiException<{ code?: string; detail?: unknown }>;
    throw error;
  }
  throw new Error("The call succeeded; an ApiException was expected");
}

/** An API key written straight to the database: an organization key for `organizationId`, or a platform key. */
export async function createKey(data: E2eData, organizationId: string | null, name = "e2e sdk"): Promise<string> {
  const scope = organizationId ? "ORGANIZATION" : "PLATFORM";
  const { key, prefix, hash } = generateApiKey(scope);
  await data.query(`INSERT INTO "ApiKey" (id, name, scope, "organizationId", prefix, hash) VALUES ($1, $2, $3::"ApiKeyScope", $4, $5, $6)`, [randomUUID(), name, scope, organizationId, prefix, hash]);
  return key;
}

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that records every request and answers `state.status` (200 by default). */
export async function startReceiver() {
  const state = { status: 200 };
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
      received.push({ headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    state,
    received,
    /** The requests carrying this message id (`webhook-id`). */
    of: (messageId: string) => received.filter((r) => r.headers["webhook-id"] === messageId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
