import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Everything that changes what `next build` produces. */
const INPUTS = [
  "app", "actions", "components", "lib", "inngest", "public", "prisma/schema",
  "auth.ts", "auth.config.ts", "proxy.ts", "instrumentation.ts", "instrumentation-client.ts", "next.config.mjs", "postcss.config.mjs",
  "tailwind.config.ts", "tsconfig.json", "package-lock.json",
];
const SKIP = new Set(["node_modules", ".next", ".next-test", ".data", "generated"]);

function walk(root: string, rel: string, out: string[]) {
  const full = path.join(root, rel);
  if (!existsSync(full)) return;
  if (statSync(full).isFile()) {
    out.push(rel);
    return;
  }
  for (const entry of readdirSync(full).sort()) {
    if (!SKIP.has(entry)) walk(root, path.join(rel, entry), out);
  }
}

export function sourceHash(root: string): string {
  const files: string[] = [];
  for (const input of INPUTS) walk(root, input, files);
  const hash = createHash("sha256");
  for (const f of files) hash.update(f).update("\0").update(readFileSync(path.join(root, f))).update("\0");
  return hash.digest("hex");
}

const distDir = () => process.env.NEXT_DIST_DIR || ".next";

/** Runs `next build` unless the last build was made from the same sources. */
export function buildIfNeeded(root: string, log: (line: string) => void, force = false): void {
  const hash = sourceHash(root);
  const stampFile = path.join(root, distDir(), "hookrelay-source-hash");
  if (!force && existsSync(path.join(root, distDir(), "BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === hash) {
    log("build is up to date");
    return;
  }
  log("building the dashboard (next build, about a minute) ...");
  const res = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (res.status !== 0) throw new Error("next build failed (see above)");
  writeFileSync(stampFile, hash);
}
