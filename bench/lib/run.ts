/**
 * Runs a benchmark's `main` so that everything it started is stopped on every exit path: a normal
 * end, an error, Ctrl-C or SIGTERM. The apps and databases run in process groups of their own, so
 * Ctrl-C reaches the benchmark alone: it stops them as at the end of a run, and a second Ctrl-C
 * exits at once. `cleanup` runs once whatever asks for it; `killNow` runs at exit in any case
 * (synchronously: it is the last word for a benchmark that exits anyway).
 */
export function runBench(main: () => Promise<void>, opts: { cleanup: () => Promise<void>; killNow: () => void; log: (line: string) => void }): void {
  let cleaning: Promise<void> | undefined;
  const cleanup = () => (cleaning ??= opts.cleanup());
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.on(signal, () => {
      if (cleaning) process.exit(code);
      opts.log(`${signal}: stopping what the benchmark started ...`);
      void cleanup().finally(() => process.exit(code));
    });
  }
  process.on("exit", opts.killNow);
  main()
    .catch((error: unknown) => {
      // After Ctrl-C, requests in flight fail as the apps stop: that is not the benchmark's error.
      if (!cleaning) console.error(error);
      process.exitCode = 1;
    })
    .finally(async () => {
      await cleanup();
      process.exit();
    });
}
