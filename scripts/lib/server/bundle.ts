import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { build, stop, type Plugin } from "esbuild";

/**
 * The long-running processes `npm start` spawns (`scripts/serve.ts`, `scripts/worker.ts`) run as
 * plain JavaScript, not through tsx: tsx's loader runs on a thread of its own with its own V8 heap,
 * keeps every transformed module with its source map, and spawns an esbuild service per process
 * when its cache misses; ~90 MB per process at idle, measured with `npm run bench:memory`. esbuild
 * (the compiler tsx uses) bundles our own TypeScript into one file in a fraction of a second at
 * each start; packages stay in node_modules and load as Node loads them. Not minified and without
 * a source map (Node would keep it in memory): a stack trace names the function, and the bundle
 * marks each source file with a comment.
 */

/** Where build tools keep their caches: one folder per content, shared by every start from this folder. */
const CACHE = "node_modules/.cache/hookrelay";

type Script = "serve" | "worker";

/** `ajv/dist/2020`, `next/server`, `@scope/pkg/sub`: a package name, then a path inside it. */
const SUBPATH = /^(@[^/]+\/[^/]+|[^./@][^/]*)\/(.+)$/;

/**
 * Packages stay external, but Node's ESM loader (unlike tsx, Next or esbuild) resolves a path inside
 * a package only through its `exports` map: `import "ajv/dist/2020"` fails where the package has no
 * map. Such imports are written with the file they name (`ajv/dist/2020.js`), resolved as Node's
 * CommonJS resolver would; packages with an `exports` map are left to Node as written.
 */
function subpathsAsFiles(root: string): Plugin {
  const require = createRequire(path.join(root, "package.json"));
  /** The folder of a package without an `exports` map, or null for one with a map (which may not even export its package.json). */
  const folders = new Map<string, string | null>();
  const folderOf = (name: string): string | null => {
    if (!folders.has(name)) {
      let folder: string | null = null;
      try {
        const manifest = require.resolve(`${name}/package.json`);
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { exports?: unknown }).exports === undefined) folder = path.dirname(manifest);
      } catch {
        folder = null;
      }
      folders.set(name, folder);
    }
    return folders.get(name)!;
  };
  return {
    name: "subpaths-as-files",
    setup(b) {
      b.onResolve({ filter: SUBPATH }, (args) => {
        const name = SUBPATH.exec(args.path)![1]!;
        const folder = folderOf(name);
        if (folder === null) return { path: args.path, external: true };
        const file = path.relative(folder, require.resolve(args.path)).split(path.sep).join("/");
        return { path: `${name}/${file}`, external: true };
      });
    },
  };
}

/** Bundles `scripts/<name>.ts` for each name; returns the path of each JavaScript file to run. */
export async function bundleScripts(root: string, names: Script[]): Promise<Record<Script, string>> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(names.map((name) => [name, path.join(root, "scripts", `${name}.ts`)])),
    outdir: "scripts",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    plugins: [subpathsAsFiles(root)],
    tsconfig: path.join(root, "tsconfig.json"),
    // The scripts find the app's folder from their own; the bundles live elsewhere.
    define: { "import.meta.dirname": JSON.stringify(path.join(root, "scripts")) },
    write: false,
    logLevel: "silent",
  });
  // esbuild's service process would otherwise stay beside this one for as long as it runs.
  await stop();
  const hash = createHash("sha256");
  for (const output of result.outputFiles) hash.update(output.path).update(output.contents);
  // Named like their sources, so that process listings (bench/lib/processes.ts) tell the processes apart.
  const dir = path.join(root, CACHE, hash.digest("hex").slice(0, 16), "scripts");
  mkdirSync(dir, { recursive: true });
  const files = {} as Record<Script, string>;
  for (const name of names) {
    const output = result.outputFiles.find((o) => path.basename(o.path) === `${name}.mjs`)!;
    const file = path.join(dir, `${name}.mjs`);
    if (!existsSync(file)) {
      // Another start from the same folder may write the same file at the same moment.
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, output.contents);
      renameSync(temporary, file);
    }
    files[name] = file;
  }
  return files;
}
