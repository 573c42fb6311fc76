/**
 * V8 flags for the app's long-running processes (the server and the executors), each weighed with
 * `npm run bench:memory` (docs/benchmarks.md, issue 23):
 * - `--max-old-space-size=512`: left to itself V8 sizes the heap for the machine (a 4 GB limit on
 *   this 24 GB one) and lets garbage pile up: the server's heap grew to 420 MB during a 10,000
 *   message burst while a full collection found ~120 MB alive. Below a 2 GB limit V8 grows the heap
 *   by a smaller factor after each collection. 512 MB is the limit Node itself picks on a machine
 *   with 2 GB of memory, so the app already has to live within it there; an operator who needs
 *   more sets it in NODE_OPTIONS, which then wins.
 * - `--no-wasm-tier-up`: Prisma's query compiler is WebAssembly. V8 compiles it with its baseline
 *   compiler (Liftoff), then recompiles hot functions with TurboFan on background threads, whose
 *   working memory (~45 MB a process) the C allocator keeps afterwards. Baseline code suffices:
 *   no measurable CPU per message either way.
 */
export function nodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const operatorSetHeap = /--max-old-space-size\b/.test(env.NODE_OPTIONS ?? "");
  return [...(operatorSetHeap ? [] : ["--max-old-space-size=512"]), "--no-wasm-tier-up"];
}
