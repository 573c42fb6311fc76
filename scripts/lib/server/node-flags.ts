/**
 * V8 flags for the app's long-running processes (the server and the executors), each weighed with
 * `npm run bench:memory` (10,000 messages; docs/benchmarks.md, issue 23):
 * - `--max-old-space-size=1024`: left to itself V8 sizes the heap for the machine (a 4 GB limit on
 *   a 24 GB one) and lets garbage pile up: the server's heap grew to 420 MB during the burst while
 *   a full collection found ~120 MB alive. Below a 2 GB limit V8 grows the heap by a smaller factor
 *   after each collection: server + executor peaked at 490–510 MB instead of 730–790 MB. 512 MB saved
 *   ~40 MB more but cost ~15 % more server CPU per message (more full collections); 1024 costs
 *   ~5 %, within the noise of those runs. An operator who needs another limit sets it in
 *   NODE_OPTIONS, which then wins.
 * - `--no-wasm-tier-up`: Prisma's query compiler is WebAssembly. V8 compiles it with its baseline
 *   compiler (Liftoff), then recompiles hot functions with TurboFan on background threads, whose
 *   working memory (~45 MB a process) the C allocator keeps afterwards. The baseline code costs no
 *   CPU per message beyond the noise of the runs.
 */
export function nodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const operatorSetHeap = /--max-old-space-size\b/.test(env.NODE_OPTIONS ?? "");
  return [...(operatorSetHeap ? [] : ["--max-old-space-size=1024"]), "--no-wasm-tier-up"];
}
