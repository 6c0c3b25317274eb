import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resident memory of Herald's processes, read from /proc (Linux). scripts/start.ts spawns the
 * delivery worker as `node --import tsx worker/main.ts`, so the worker is the child of the start
 * process whose command line names worker/main.ts.
 */

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process ended between the listing and the read.
    return undefined;
  }
}

/** The parent of each live process. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    // The command name is in parentheses and may hold spaces: the fields after it are fixed.
    const after = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (after?.[1]) map.set(Number(entry), Number(after[1]));
  }
  return map;
}

/** `root` and all its descendants. */
export function processTree(root: number): number[] {
  const byParent = parents();
  const tree = [root];
  for (let index = 0; index < tree.length; index++) {
    for (const [pid, parent] of byParent) if (parent === tree[index]) tree.push(pid);
  }
  return tree;
}

/** The delivery worker under the start process, or undefined while it is (re)starting. */
export function workerPid(root: number): number | undefined {
  return processTree(root).find((pid) =>
    (read(`/proc/${pid}/cmdline`) ?? '').split('\0').some((arg) => arg.endsWith('worker/main.ts')),
  );
}

/** User + system CPU seconds of these processes so far (ended ones count nothing), at 100 ticks a second. */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = read(`/proc/${pid}/stat`);
    const after = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(after?.[11] ?? 0) + Number(after?.[12] ?? 0);
  }
  return ticks / 100;
}

/** VmRSS in MB; undefined once the process is gone. */
export function rssMb(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? '');
  return match?.[1] ? Number(match[1]) / 1024 : undefined;
}

/** The worker's RSS, or (when no worker process can be found) the whole tree's, saying which. */
export function workerRss(root: number): { mb: number; of: 'worker' | 'process tree' } | undefined {
  const worker = workerPid(root);
  const mb = worker === undefined ? undefined : rssMb(worker);
  if (mb !== undefined) return { mb, of: 'worker' };
  const tree = processTree(root)
    .map(rssMb)
    .filter((value) => value !== undefined);
  return tree.length > 0 ? { mb: tree.reduce((sum, value) => sum + value, 0), of: 'process tree' } : undefined;
}
