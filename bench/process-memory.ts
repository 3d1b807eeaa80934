// Resident memory of a process tree, sampled with `ps` (Linux). RSS summed over processes counts
// shared pages (Chromium's code, shared memory) once per process, so it is an upper bound.
import { execFileSync } from 'node:child_process';

interface Row {
  pid: number;
  ppid: number;
  rssKb: number;
  comm: string;
}

function processTable(): Row[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,comm='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length >= 4)
    .map(([pid, ppid, rss, ...comm]) => ({ pid: Number(pid), ppid: Number(ppid), rssKb: Number(rss), comm: comm.join(' ') }));
}

/** RSS in bytes of `root`'s descendants (and itself) whose command matches `filter`. */
export function treeRss(root: number, filter: (comm: string) => boolean = () => true): number {
  const rows = processTable();
  const children = new Map<number, Row[]>();
  for (const row of rows) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  let total = 0;
  const self = rows.find((row) => row.pid === root);
  const stack = self ? [self] : [];
  while (stack.length > 0) {
    const row = stack.pop()!;
    if (filter(row.comm)) total += row.rssKb * 1024;
    stack.push(...(children.get(row.pid) ?? []));
  }
  return total;
}

/** Samples `measure` every `intervalMs` and keeps the peak, until stopped. */
export function peakSampler(measure: () => number, intervalMs = 500): { stop(): number; peak(): number } {
  let peak = 0;
  const sample = () => {
    try {
      peak = Math.max(peak, measure());
    } catch {
      // the process may be gone between ps and the read; the next sample counts
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    peak: () => peak,
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** Pids of `parent`'s direct children whose command matches `filter` (to tell browsers apart). */
export function childPids(parent: number, filter: (comm: string) => boolean): Set<number> {
  return new Set(processTable().filter((row) => row.ppid === parent && filter(row.comm)).map((row) => row.pid));
}
