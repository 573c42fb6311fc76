import { createHmac } from "node:crypto";
import { spawn } from "node:child_process";
import path from "node:path";
import { Inngest } from "inngest";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { createServeHandlers } from "@/inngest/serve";
import { parseExecutorConfig } from "@/inngest/executor/config";
import { isPublicPath } from "@/lib/auth/public-paths";

/**
 * Inngest mode (INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY set): nothing embedded starts and the
 * SDK's own signature check guards /api/inngest.
 */

const SIGNING_KEY = "signkey-test-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const EVENT_KEY = "test-event-key";
const PROD_ENV = { INNGEST_SIGNING_KEY: SIGNING_KEY, INNGEST_EVENT_KEY: EVENT_KEY };

/** RFC 8785-style canonical JSON (sorted keys, no spaces): what the SDK signs and verifies. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** How Inngest signs a request: HMAC-SHA256 over body + timestamp with the key minus its prefix. */
function sign(body: string, key = SIGNING_KEY): string {
  const ts = Math.round(Date.now() / 1000).toString();
  const mac = createHmac("sha256", key.replace(/^signkey-\w+-/, "")).update(body + ts).digest("hex");
  return `t=${ts}&s=${mac}`;
}

const client = new Inngest({ id: "prod", isDev: false, signingKey: SIGNING_KEY, eventKey: EVENT_KEY });
let ran = 0;
const hello = client.createFunction({ id: "hello", triggers: { event: "test/hello" } }, async ({ event, step }) => {
  return step.run("greet", () => {
    ran++;
    return `hello ${String(event.data.who)}`;
  });
});
const serve = createServeHandlers(client, [hello], parseExecutorConfig(PROD_ENV));

function executionRequest(headers: Record<string, string> = {}, body = executionBody()) {
  return new NextRequest("http://127.0.0.1:3000/api/inngest?fnId=prod-hello&stepId=step", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

function executionBody(): string {
  const event = { name: "test/hello", data: { who: "inngest" }, id: "evt-1", ts: Date.now() };
  return canonical({
    version: 2,
    event,
    events: [event],
    steps: {},
    ctx: { run_id: "run-1", attempt: 0, max_attempts: 4, disable_immediate_execution: false, stack: { stack: [], current: 0 } },
  });
}

describe("Inngest mode", () => {
  it("is chosen by INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY; embedded is the default", () => {
    expect(parseExecutorConfig({}).mode).toBe("embedded");
    expect(parseExecutorConfig(PROD_ENV).mode).toBe("inngest");
    expect(() => parseExecutorConfig({ INNGEST_EVENT_KEY: EVENT_KEY })).toThrow(/INNGEST_SIGNING_KEY: required/);
  });

  it("starts no embedded worker", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/worker.ts")], {
      cwd: root,
      env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none", ...PROD_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(output).toContain("Inngest drives the functions");
    expect(output).not.toContain("started:");
  });

  it("lets /api/inngest past the session guard, so that the SDK decides", () => {
    expect(isPublicPath("/api/inngest")).toBe(true);
  });

  it("refuses an unsigned request with the SDK's signature check, without running the function", async () => {
    const res = await serve.POST(executionRequest());
    expect(res.status).toBe(401);
    // The SDK's answer (the embedded guard would name the executor key instead).
    expect(await res.json()).toEqual({ message: "Unauthorized" });
    const forged = await serve.POST(executionRequest({ "x-inngest-signature": sign(executionBody(), "signkey-test-00ff") }));
    expect(forged.status).toBe(401);
    expect(ran).toBe(0);
  });

  it("runs the function for a correctly signed request", async () => {
    const body = executionBody();
    const res = await serve.POST(executionRequest({ "x-inngest-signature": sign(body) }, body));
    expect(res.status).toBe(206);
    const [op] = (await res.json()) as { op: string; data: unknown }[];
    expect(op).toMatchObject({ op: "StepRun", data: "hello inngest" });
    expect(ran).toBe(1);
  });

  it("the app's own route refuses unsigned sync requests too", async () => {
    Object.assign(process.env, PROD_ENV);
    const route = await import("@/app/api/inngest/route");
    const res = await route.PUT(
      new NextRequest("http://127.0.0.1:3000/api/inngest", {
        method: "PUT",
        headers: { "x-inngest-sync-kind": "in_band", "content-type": "application/json" },
        body: JSON.stringify({ url: "http://127.0.0.1:3000/api/inngest" }),
      }),
    );
    expect(res.status).toBe(401);
  });
});
