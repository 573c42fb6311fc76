import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time and memory of a process tree from /proc (Linux): what each product process (the start
 * script with the executor, the Next server, PostgreSQL) spent during a scenario, and the peak of
 * their summed resident memory.
 */

const TICKS_PER_SECOND = 100;
const PAGE_KB = 4;

interface Sample {
  pid: number;
  ppid: number;
  name: string;
  cpuMs: number;
  rssKb: number;
}

function read(pid: number): Sample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may contain spaces: split after its closing one.
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return {
      pid,
      ppid: Number(fields[1]),
      name: label(stat.slice(stat.indexOf("(") + 1, close), cmdline),
      cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND,
      rssKb: Number(fields[21]) * PAGE_KB,
    };
  } catch {
    return null;
  }
}

function label(comm: string, cmdline: string[]): string {
  const script = cmdline.find((a) => /scripts\/(start|serve|worker)\.m?[jt]s$/.test(a));
  if (script) return script.replace(/.*scripts\//, "").replace(/\.m?[jt]s$/, "");
  if (comm.startsWith("postgres")) return "postgres";
  return comm;
}

/** Every process whose ancestry reaches `root` (itself included). */
export function tree(root: number): Sample[] {
  const all = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => read(Number(d)) ?? []);
  const byParent = new Map<number, Sample[]>();
  for (const s of all) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const out: Sample[] = [];
  const queue = all.filter((s) => s.pid === root);
  while (queue.length > 0) {
    const s = queue.shift()!;
    out.push(s);
    queue.push(...(byParent.get(s.pid) ?? []));
  }
  return out;
}

/** CPU ms per process kind (start, serve, postgres, ...), summed over the tree. */
export function cpuByKind(root: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of tree(root)) out.set(s.name, (out.get(s.name) ?? 0) + s.cpuMs);
  return out;
}

/**
 * CPU ms of `root`'s tree including its children that exited and were reaped (cutime + cstime):
 * monotonic for a server like PostgreSQL whose backends come and go, where `cpuByKind` would lose
 * an exited backend's time.
 */
export function treeCpuWithReaped(root: number): number {
  let reaped = 0;
  try {
    const stat = readFileSync(`/proc/${root}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    reaped = ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
  } catch {
    // Gone: only the tree's live processes (none) remain.
  }
  return tree(root).reduce((sum, s) => sum + s.cpuMs, reaped);
}

export function rssKb(root: number): number {
  return tree(root).reduce((sum, s) => sum + s.rssKb, 0);
}

/** Samples the tree's summed RSS every `everyMs` until stopped; returns the peak. */
export function watchPeakRss(root: number, everyMs = 200) {
  let peak = rssKb(root);
  const timer = setInterval(() => (peak = Math.max(peak, rssKb(root))), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssKb(root));
    },
  };
}

/** CPU spent by each kind between two `cpuByKind` readings, as "start 12.3 s, serve 4.5 s, ...". */
export function cpuDelta(before: Map<string, number>, after: Map<string, number>): string {
  return [...after.entries()]
    .map(([kind, ms]) => [kind, ms - (before.get(kind) ?? 0)] as const)
    .filter(([, ms]) => ms > 50)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, ms]) => `${kind} ${(ms / 1000).toFixed(1)} s`)
    .join(", ");
}
