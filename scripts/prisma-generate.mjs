// `prisma generate` needs no schema engine, but Prisma 7's CLI tries to download one first unless
// PRISMA_SCHEMA_ENGINE_BINARY points at an existing file (the registry is the only reachable host).
import { spawnSync } from "node:child_process";

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath };
const res = spawnSync("prisma", ["generate"], { stdio: "inherit", env, shell: false, cwd: process.cwd() });
process.exit(res.status ?? 1);
