/** How often a child process checks that the process that started it is still there. */
const CHECK_EVERY_MS = 500;
/** Read when this module loads, at the process's start: a parent that died during a slow start counts too. */
const startedBy = process.ppid;

/**
 * Calls `stop` once the process that started this one is gone: the kernel then hands the orphan
 * to init (or a subreaper), so its parent pid changes. `npm start` stops its server and workers
 * itself on Ctrl-C or SIGTERM; this covers the start script dying without a word (SIGKILL, the
 * out-of-memory killer), which left an orphan `next-server` holding the port and the database.
 */
export function exitWithParent(stop: () => void): void {
  const timer = setInterval(() => {
    if (process.ppid === startedBy) return;
    clearInterval(timer);
    stop();
  }, CHECK_EVERY_MS);
  timer.unref();
}
