/**
 * Authors a new SQL migration offline: diffs the Prisma schema as committed at a git ref (default
 * HEAD) against the working tree with the Prisma 6.19 CLI (its wasm schema engine needs no download)
 * and writes prisma/migrations/<timestamp>_<name>/migration.sql.
 *
 *   npm run migration:new -- <name> [--from-ref <git ref>] [--from-empty]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "../lib/env";
import { startEmbeddedPostgres } from "./lib/server/embedded-postgres";

const root = path.resolve(import.meta.dirname, "..");
const toolDir = path.join(root, "tools/prisma6");
const schemaDir = "prisma/schema";

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith("--") && args[args.indexOf(a) - 1] !== "--from-ref");
const fromEmpty = args.includes("--from-empty");
const refIndex = args.indexOf("--from-ref");
const fromRef = refIndex >= 0 ? args[refIndex + 1] : "HEAD";
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run migration:new -- <snake_case_name> [--from-ref <git ref>] [--from-empty]");
  process.exit(2);
}

const HEADER = `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\ngenerator client {\n  provider   = "prisma-client-js"\n  engineType = "client"\n}\n`;

/** Drops generator/datasource blocks: the 6.19 CLI needs its own (see HEADER). */
function models(text: string): string {
  return text.replace(/^(generator|datasource)\s+\w+\s*\{[\s\S]*?^\}/gm, "");
}

function workingTreeSchema(): string {
  const files = readdirSync(path.join(root, schemaDir)).filter((f) => f.endsWith(".prisma")).sort();
  return HEADER + files.map((f) => models(readFileSync(path.join(root, schemaDir, f), "utf8"))).join("\n");
}

function schemaAtRef(ref: string): string {
  const list = execFileSync("git", ["ls-tree", "--name-only", `${ref}:${schemaDir}`], { cwd: root, encoding: "utf8" });
  const files = list.split("\n").filter((f) => f.endsWith(".prisma")).sort();
  return (
    HEADER +
    files.map((f) => models(execFileSync("git", ["show", `${ref}:${schemaDir}/${f}`], { cwd: root, encoding: "utf8" }))).join("\n")
  );
}

async function main() {
  if (!existsSync(path.join(toolDir, "node_modules/prisma"))) {
    console.log("installing the Prisma 6.19 migration author into tools/prisma6 ...");
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent"], { cwd: toolDir, stdio: "inherit" });
  }
  const env = parseEnv();
  let url = env.DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const cluster = await startEmbeddedPostgres({ dataDir: path.join(env.DATA_DIR, "pg"), port: env.EMBEDDED_PG_PORT });
    url = cluster.adminUrl;
    stop = () => cluster.stop();
  }
  try {
    const work = mkdtempSync(path.join(os.tmpdir(), "migration-"));
    const toFile = path.join(work, "to.prisma");
    writeFileSync(toFile, workingTreeSchema());
    // Written beside the tool so that `prisma/config` resolves from its node_modules.
    const configFile = path.join(toolDir, "prisma.config.ts");
    writeFileSync(
      configFile,
      `import { defineConfig } from "prisma/config";\nimport { PrismaPg } from "@prisma/adapter-pg";\n` +
        `export default defineConfig({ experimental: { adapter: true }, engine: "js", schema: ${JSON.stringify(toFile)},\n` +
        `  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }) });\n`,
    );
    const diffArgs = ["migrate", "diff", "--config", configFile, "--script", "--to-schema-datamodel", toFile];
    if (fromEmpty) diffArgs.push("--from-empty");
    else {
      const fromFile = path.join(work, "from.prisma");
      writeFileSync(fromFile, schemaAtRef(fromRef));
      diffArgs.push("--from-schema-datamodel", fromFile);
    }
    const res = spawnSync(path.join(toolDir, "node_modules/.bin/prisma"), diffArgs, {
      cwd: toolDir,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
    if (res.status !== 0) {
      console.error(res.stderr || res.stdout);
      process.exit(1);
    }
    const sql = res.stdout;
    if (!sql.trim() || /This is an empty migration/.test(sql)) {
      console.log(`No schema change since ${fromRef}: nothing written.`);
      return;
    }
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const dir = path.join(root, "prisma/migrations", `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
