/**
 * The governance cases' deadline sweep (issue 21), run every minute with the applications' and
 * objections' escalations: consultations on sharing needs left unanswered go to the
 * coordinating office (needsRegister.ts); rectification notices left unanswered are reported
 * upward (rectification/rectification.ts); catalogue reviews past due are flagged to the office
 * (catalogue/catalogueReview.ts, swept with the catalogue's notices). Each case escalates once, whichever replica sweeps first.
 */
import type { Kysely } from 'kysely';
import type { WorkingDayCalendar } from '../../policies/workingDays.ts';
import type { SettingsReader } from '../settings/settingDefinitions.ts';
import type { PlatformDatabase } from '../store/platformStore.ts';
import { escalateOverdueNeeds } from '../needs/needsRegister.ts';
import { escalateOverdueNotices } from '../rectification/rectification.ts';

export interface GovernanceSweepOptions {
  readonly db: Kysely<PlatformDatabase>;
  readonly calendar: WorkingDayCalendar;
  readonly settings: SettingsReader;
  readonly clock?: () => Date;
}

/** Runs every governance escalation once; resolves the ids escalated, by kind. */
export async function sweepGovernanceDeadlines(options: GovernanceSweepOptions): Promise<{ needs: string[]; notices: string[] }> {
  const now = options.clock?.() ?? new Date();
  const needs = await escalateOverdueNeeds(options.db, options.calendar, options.settings, now);
  const notices = await escalateOverdueNotices(options.db, now);
  return { needs, notices };
}
