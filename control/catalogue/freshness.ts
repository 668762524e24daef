/**
 * Freshness beside the declared update cycle (R2): an entry is stale when its provider's data
 * last changed longer ago than the cycle allows, plus a day's grace for the provider's batch
 * to land. A real-time register that has not changed for a day is flagged too: at the scale of
 * a province someone is born, registers a company or sells a flat every day, so a quiet day
 * more likely means a stalled feed than a quiet province.
 */
import type { Freshness, UpdateCycle } from './model.ts';

const HOUR = 3_600_000;

/** Longest age each cycle allows, in hours. @default period + 24 h grace; REAL_TIME 24 h */
export const MAX_AGE_HOURS: Readonly<Record<UpdateCycle, number>> = {
  REAL_TIME: 24,
  DAILY: 2 * 24,
  WEEKLY: 8 * 24,
  MONTHLY: 32 * 24,
  QUARTERLY: 93 * 24,
  YEARLY: 367 * 24,
};

/** What the catalogue last heard from a subgraph about one resource. */
export interface FreshnessRecord {
  readonly lastChanged: string | null;
  readonly checkedAt: string;
  /** Why the last check failed; the last known lastChanged is kept. */
  readonly error: string | null;
}

export function freshnessOf(cycle: UpdateCycle, record: FreshnessRecord | undefined, now: Date): Freshness {
  const maxAgeHours = MAX_AGE_HOURS[cycle];
  if (!record) return { dataLastChanged: null, checkedAt: null, maxAgeHours, stale: null, error: 'the provider has not reported when its data last changed' };
  const changed = record.lastChanged === null ? null : Date.parse(record.lastChanged);
  return {
    dataLastChanged: record.lastChanged,
    checkedAt: record.checkedAt,
    maxAgeHours,
    stale: changed === null ? null : now.getTime() - changed > maxAgeHours * HOUR,
    error: record.error ?? (record.lastChanged === null ? 'the provider holds no data for this resource yet' : null),
  };
}
