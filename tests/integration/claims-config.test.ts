import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { authConfig } from "@/auth.config";
import { parseExecutorConfig } from "@/inngest/executor/config";
import { REVOCATION_TTL_MS } from "@/lib/auth/revoked-sessions";
import { parseEnv } from "@/lib/env";
import { persistentSecret } from "@/scripts/lib/server/bootstrap";

/** The README's configuration table: defaults and rules no other test held as written. */

const dataDir = mkdtempSync(path.join(tmpdir(), "claims-config-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("README: configuration defaults", () => {
  it("seeds the demo with admin@acme.test / hookrelay-admin, and mails from HookRelay <no-reply@hookrelay.invalid>", () => {
    expect(parseEnv({})).toMatchObject({
      ADMIN_EMAIL: "admin@acme.test",
      ADMIN_PASSWORD: "hookrelay-admin",
      SEED_DEMO: true,
      SMTP_FROM: "HookRelay <no-reply@hookrelay.invalid>",
    });
    expect(parseEnv({}).SMTP_URL).toBeUndefined();
  });

  it("takes an AUTH_SECRET of 32 characters and refuses 31, naming it", () => {
    expect(parseEnv({ AUTH_SECRET: "x".repeat(32) }).AUTH_SECRET).toHaveLength(32);
    expect(() => parseEnv({ AUTH_SECRET: "x".repeat(31) })).toThrow(/AUTH_SECRET must be at least 32 characters/);
  });
});

describe("README: AUTH_SECRET, APP_ENCRYPTION_KEY and EXECUTOR_KEY are generated into DATA_DIR when unset", () => {
  const env = parseEnv({ DATA_DIR: dataDir });

  it("writes DATA_DIR/<name>.secret once, readable by its owner only, and a later start reads the same value", () => {
    const first = persistentSecret(env, "auth", undefined);
    const file = path.join(dataDir, "auth.secret");
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(first, "base64url")).toHaveLength(32);
    expect(persistentSecret(env, "auth", undefined)).toBe(first);
  });

  it("uses the value set in the environment, and writes nothing for it", () => {
    expect(persistentSecret(env, "executor", "set-by-the-operator")).toBe("set-by-the-operator");
    expect(() => statSync(path.join(dataDir, "executor.secret"))).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });
});

describe("docs/executor.md: the embedded executor's defaults", () => {
  it("drives 32 runs a process, leases for 5 s, polls every second, waits 5 minutes for a request, retries steps from 2 s up to 10 minutes, serves locally", () => {
    expect(parseExecutorConfig({ PORT: "3000" })).toMatchObject({
      mode: "embedded",
      concurrency: 32,
      leaseMs: 5_000,
      pollMs: 1_000,
      requestTimeoutMs: 300_000,
      retryBaseMs: 2_000,
      retryMaxMs: 600_000,
      serve: "local",
      ingestInProcess: false,
      serveUrl: "http://127.0.0.1:3000/api/inngest",
    });
  });
});

describe("docs/server-actions.md: a session is valid 12 hours after the last request; a revocation is kept 13 hours", () => {
  it("gives Auth.js a 12-hour maxAge and keeps revocations an hour longer", () => {
    expect(authConfig.session).toMatchObject({ strategy: "jwt", maxAge: 12 * 60 * 60 });
    expect(REVOCATION_TTL_MS).toBe(13 * 60 * 60 * 1000);
  });
});
