/**
 * Grant expiry warnings (issue 13): the configured number of working days before a grant's
 * last day (setting GRANT_EXPIRY_WARNING_WORKING_DAYS, 10 by default: one answer period, so a
 * renewal applied for then is answered before the grant ends, R5), its consumer department and
 * the field's provider are told once (GRANT_EXPIRING), whatever the number of sweeps and
 * replicas. Only they: a grant is the business of the two departments it joins.
 *
 * Glossary:
 * - last day: the China date a grant is valid through (its valid_until is the start of the next
 *   day, China time), the approvedUntil of its application.
 * - horizon: today's date plus the warning's working days; a grant whose last day is on or before
 *   the horizon, and still valid now, is warned.
 */
import type { PolicySnapshot } from '../../policies/snapshot.ts';
import { CalendarYearUnknownError, chinaDate, type WorkingDayCalendar } from '../../policies/workingDays.ts';
import { noticeOnce } from '../notifications/noticeOnce.ts';
import type { SettingsReader } from '../settings/settingDefinitions.ts';
import type { PlatformStore } from '../store/platformStore.ts';

const DAY_MS = 86_400_000;

export interface GrantExpiryWarningOptions {
  readonly store: PlatformStore;
  readonly calendar: WorkingDayCalendar;
  /** Who provides a field (the policy in force). */
  readonly snapshot: () => PolicySnapshot;
  readonly settings: SettingsReader;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** The date `n` weekdays after `date`: only for a year whose holidays are not known yet. */
function addWeekdays(date: string, n: number): string {
  let ms = Date.parse(`${date}T00:00:00Z`);
  for (let left = n; left > 0;) {
    ms += DAY_MS;
    const weekday = new Date(ms).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return new Date(ms).toISOString().slice(0, 10);
}

export class GrantExpiryWarnings {
  private readonly clock: () => Date;

  constructor(private readonly options: GrantExpiryWarningOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** The last day of a grant valid until `validUntil` (an instant). */
  static lastDay(validUntil: string): string {
    return chinaDate(Date.parse(validUntil) - 1);
  }

  /** Warns every grant whose warning day has come and that was not warned before; returns their ids. */
  async sweep(): Promise<string[]> {
    const now = this.clock();
    const today = chinaDate(now);
    const workingDays = await this.options.settings.value('GRANT_EXPIRY_WARNING_WORKING_DAYS');
    let horizon: string;
    try {
      horizon = this.options.calendar.addWorkingDays(today, workingDays);
    } catch (error) {
      // A year whose notice is not entered yet: weekends alone, so no warning is late for it.
      if (!(error instanceof CalendarYearUnknownError)) throw error;
      horizon = addWeekdays(today, workingDays);
    }
    const grants = await this.options.store.db.selectFrom('grants').selectAll()
      .where('revoked_at', 'is', null).where('valid_until', 'is not', null).orderBy('valid_until').execute();
    const snapshot = this.options.snapshot();
    const warned: string[] = [];
    for (const grant of grants) {
      const until = Date.parse(grant.valid_until!);
      const lastDay = GrantExpiryWarnings.lastDay(grant.valid_until!);
      if (until <= now.getTime() || lastDay > horizon) continue;
      const provider = snapshot.fields.get(grant.coordinate)?.provider;
      const sent = await noticeOnce(this.options.store.db, {
        key: `GRANT_EXPIRING:${grant.id}`,
        departments: [grant.consumer, ...(provider ? [provider] : [])],
        kind: 'GRANT_EXPIRING',
        message: `授权 ${grant.id}：${grant.consumer} 读取 ${grant.coordinate}（${grant.purpose}）的授权有效至 ${lastDay}，即将到期；如需继续使用，请在到期前重新申请`,
        params: { grantId: grant.id, coordinate: grant.coordinate, consumer: grant.consumer, provider: provider ?? null, purpose: grant.purpose, validUntil: lastDay, workingDays },
        ...(grant.application_id ? { refs: { applicationId: grant.application_id } } : {}),
      }, now);
      if (sent) warned.push(grant.id);
    }
    return warned;
  }
}
