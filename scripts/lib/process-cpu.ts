/**
 * CPU time and memory of benchmark processes, from /proc (Linux): what the benches print beside
 * their latencies, so a figure says how much of the machine it took.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU ticks (user + system) and resident memory of one process; null once it is gone. */
export function procStat(pid: number): { ticks: number; rssKb: number; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) };
  } catch {
    return null;
  }
}

/** The process's descendants (e.g. the embedded FerretDB and PostgreSQL a server started). */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat) parents.set(Number(name), stat.ppid);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents) {
      if (parent === p) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Summed CPU ticks and resident memory of some processes (those gone count nothing). */
export function usage(pids: number[]): { ticks: number; rssMb: number } {
  let ticks = 0;
  let rssKb = 0;
  for (const pid of pids) {
    const stat = procStat(pid);
    if (!stat) continue;
    ticks += stat.ticks;
    rssKb += stat.rssKb;
  }
  return { ticks, rssMb: Math.round(rssKb / 1024) };
}
