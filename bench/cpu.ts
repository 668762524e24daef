/**
 * CPU accounting around one measurement (Linux /proc; elsewhere every figure is null):
 *  - how much CPU the measured stack used per request, its gateway and its subgraphs apart:
 *    a cost far less sensitive than req/s to whatever else the machine runs;
 *  - how much CPU processes outside the benchmark used meanwhile, and how much the
 *    hypervisor stole, so that a disturbed run can be told from a slow stack.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Linux reports times in USER_HZ, 100 per second on every mainstream platform. */
const TICKS_PER_SECOND = 100;

/**
 * Which processes a stack's CPU is counted over. Every stack runs as process groups whose
 * leader is its gateway; subgraph processes are the other members of `subgraphGroup`.
 */
export interface StackProcesses {
  /** The process group the gateway runs in. */
  readonly gatewayGroup: number;
  /** 'leader': the gateway is the group's leader alone (its subgraphs share the group); 'group': every process of the group. */
  readonly gateway: 'leader' | 'group';
  /** The group whose non-leader processes are the subgraphs this stack's gateway calls. */
  readonly subgraphGroup: number;
}

export interface CpuSnapshot {
  readonly at: number;
  /** Ticks all CPUs spent busy (user, nice, system, irq, softirq). */
  readonly busy: number;
  readonly steal: number;
  /** Ticks (user + system, all threads) and process group of every process in a watched group. */
  readonly processes: ReadonlyMap<number, { readonly pgrp: number; readonly ticks: number }>;
  /** Ticks of the harness (this process: the load generator). */
  readonly harness: number;
}

export interface CpuFigures {
  /** CPU time the measured stack's processes used, in seconds: gateway + subgraphs. */
  readonly stackCpuS: number;
  /** Of which the gateway process(es). */
  readonly gatewayCpuS: number;
  /** Of which the subgraph processes. */
  readonly subgraphsCpuS: number;
  /** CPU time the other watched processes (the stacks idle meanwhile) used, in seconds. */
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

/** Every process of the watched groups, and the machine's and the harness's counters. */
export function cpuSnapshot(groups: readonly number[]): CpuSnapshot | null {
  if (!available) return null;
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  const watched = new Set(groups);
  const processes = new Map<number, { pgrp: number; ticks: number }>();
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
    else if (watched.has(parsed.pgrp)) processes.set(Number(entry), parsed);
  }
  return { at: performance.now(), busy: user + nice + system + irq + softirq, steal, processes, harness };
}

/** Ticks per process between two snapshots (a process gone meanwhile counts for nothing). */
function deltas(before: CpuSnapshot, after: CpuSnapshot): Map<number, { pgrp: number; ticks: number }> {
  const out = new Map<number, { pgrp: number; ticks: number }>();
  for (const [pid, now] of after.processes) out.set(pid, { pgrp: now.pgrp, ticks: Math.max(0, now.ticks - (before.processes.get(pid)?.ticks ?? 0)) });
  return out;
}

/** Between two snapshots: `measured` is the stack under load; every other watched process was idle. */
export function cpuBetween(before: CpuSnapshot | null, after: CpuSnapshot | null, measured: StackProcesses): CpuFigures | null {
  if (!before || !after) return null;
  const wallS = (after.at - before.at) / 1000;
  let gateway = 0;
  let subgraphs = 0;
  let all = 0;
  for (const [pid, { pgrp, ticks }] of deltas(before, after)) {
    all += ticks;
    if (measured.gateway === 'leader' ? pid === measured.gatewayGroup : pgrp === measured.gatewayGroup) gateway += ticks;
    else if (pgrp === measured.subgraphGroup && pid !== measured.subgraphGroup) subgraphs += ticks;
  }
  const harness = after.harness - before.harness;
  const foreign = Math.max(0, after.busy - before.busy - all - harness);
  return {
    stackCpuS: (gateway + subgraphs) / TICKS_PER_SECOND,
    gatewayCpuS: gateway / TICKS_PER_SECOND,
    subgraphsCpuS: subgraphs / TICKS_PER_SECOND,
    idleStackCpuS: (all - gateway - subgraphs) / TICKS_PER_SECOND,
    harnessCpuS: harness / TICKS_PER_SECOND,
    foreignCores: foreign / TICKS_PER_SECOND / wallS,
    stealCores: (after.steal - before.steal) / TICKS_PER_SECOND / wallS,
  };
}
