/**
 * CPU accounting around one measurement (Linux /proc; elsewhere every figure is null):
 *  - how much CPU the measured stack used per request, over all its processes (gateway and
 *    subgraphs): a cost far less sensitive than req/s to whatever else the machine runs;
 *  - how much CPU processes outside the benchmark used meanwhile, and how much the
 *    hypervisor stole, so that a disturbed run can be told from a slow stack.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Linux reports times in USER_HZ, 100 per second on every mainstream platform. */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  readonly at: number;
  /** Ticks all CPUs spent busy (user, nice, system, irq, softirq). */
  readonly busy: number;
  readonly steal: number;
  /** Ticks (user + system) per watched process group, and of the harness itself. */
  readonly groups: ReadonlyMap<number, number>;
  readonly harness: number;
}

export interface CpuFigures {
  /** CPU time the measured stack's processes used, in seconds. */
  readonly stackCpuS: number;
  /** CPU time the other stack (idle meanwhile) used, in seconds. */
  readonly idleStackCpuS: number;
  /** CPU time of the load generator (this process), in seconds. */
  readonly harnessCpuS: number;
  /** Mean cores kept busy by processes outside the benchmark. */
  readonly foreignCores: number;
  /** Mean cores stolen by the hypervisor. */
  readonly stealCores: number;
}

const available = existsSync('/proc/stat');

function processTicks(stat: string): { pgrp: number; ticks: number } | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
  const pgrp = Number(fields[2]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(pgrp) && Number.isFinite(ticks) ? { pgrp, ticks } : null;
}

export function cpuSnapshot(groups: readonly number[]): CpuSnapshot | null {
  if (!available) return null;
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  const perGroup = new Map<number, number>(groups.map((g) => [g, 0]));
  let harness = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const parsed = processTicks(stat);
    if (!parsed) continue;
    if (Number(entry) === process.pid) harness += parsed.ticks;
    else if (perGroup.has(parsed.pgrp)) perGroup.set(parsed.pgrp, perGroup.get(parsed.pgrp)! + parsed.ticks);
  }
  return { at: performance.now(), busy: user + nice + system + irq + softirq, steal, groups: perGroup, harness };
}

/** Between two snapshots: `measured` is the group under load, `idle` the other stack's. */
export function cpuBetween(before: CpuSnapshot | null, after: CpuSnapshot | null, measured: number, idle: number): CpuFigures | null {
  if (!before || !after) return null;
  const wallS = (after.at - before.at) / 1000;
  const delta = (g: number) => Math.max(0, (after.groups.get(g) ?? 0) - (before.groups.get(g) ?? 0));
  const stack = delta(measured);
  const idleStack = delta(idle);
  const harness = after.harness - before.harness;
  const foreign = Math.max(0, after.busy - before.busy - stack - idleStack - harness);
  return {
    stackCpuS: stack / TICKS_PER_SECOND,
    idleStackCpuS: idleStack / TICKS_PER_SECOND,
    harnessCpuS: harness / TICKS_PER_SECOND,
    foreignCores: foreign / TICKS_PER_SECOND / wallS,
    stealCores: (after.steal - before.steal) / TICKS_PER_SECOND / wallS,
  };
}
