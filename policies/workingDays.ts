/**
 * The working-day calendar of the People's Republic of China, for deadlines counted in
 * working days (R3: catalogue updates; R5: answers to applications within 10 working days).
 *
 * Glossary:
 * - statutory holiday (法定节假日): a day off by the State Council's annual notice, even on a weekday.
 * - adjusted working day (调休上班日): a Saturday or Sunday worked to make a holiday longer.
 * - working day: a Monday–Friday that is not a holiday, or an adjusted working day.
 *
 * Data, by precedence for each year:
 * 1. NOTICE: the State Council's notice as entered by the coordinating office (stored in the
 *    platform database, laid over the calendar with `setNotices`, on every replica);
 * 2. OFFICIAL_PACKAGE: the maintained `chinese-days` package (the published notices), with the
 *    local override file's years laid over it;
 * 3. PROVISIONAL: a year neither knows is never refused: it is computed from weekends and the
 *    statutory holidays knowable in advance (`provisionalYear`), without adjusted working days,
 *    and every deadline that counts a day of it is marked provisional.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import lunar from 'chinese-days';

export interface CalendarYear {
  /** Dates (YYYY-MM-DD) that are statutory holidays, with their name. */
  readonly holidays: Readonly<Record<string, string>>;
  /** Weekend dates that are worked (调休), with the holiday they make up for. */
  readonly adjustedWorkdays: Readonly<Record<string, string>>;
}

export interface CalendarOverrides {
  /** Whole years (replacing the package's data for that year) or corrections. */
  readonly years: Readonly<Record<string, CalendarYear>>;
}

/** Where a year's days come from (see the module comment). */
export type CalendarSource = 'NOTICE' | 'OFFICIAL_PACKAGE' | 'PROVISIONAL';

/** A deadline and whether it counted a day of a provisional year. */
export interface Deadline {
  readonly date: string;
  readonly provisional: boolean;
}

/** No longer thrown (unknown years are provisional); kept for callers that still catch it. */
export class CalendarYearUnknownError extends Error {
  constructor(readonly year: number, readonly known: readonly number[]) {
    super(`the working-day calendar has no data for ${year} (it knows ${known[0]}–${known[known.length - 1]}): the coordinating office enters the State Council's holiday notice for ${year}`);
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function parseDate(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new TypeError(`a calendar date is YYYY-MM-DD, received ${JSON.stringify(date)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new TypeError(`${date} is not a calendar date`);
  return ms;
}

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(date: string): boolean {
  try {
    parseDate(date);
    return true;
  } catch {
    return false;
  }
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The calendar date in China (UTC+8, no daylight saving) of an instant. */
export function chinaDate(instant: Date | number | string): string {
  const ms = typeof instant === 'number' ? instant : new Date(instant).getTime();
  return iso(ms + 8 * 3_600_000);
}

export function isWeekend(date: string): boolean {
  const weekday = new Date(parseDate(date)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** The years the lunar tables of `chinese-days` cover. */
const LUNAR_YEARS = { first: 1901, last: 2099 } as const;

/**
 * A year's statutory holidays as far as they can be known before its notice, by 全国年节及纪念日放假办法
 * art. 2 as amended in force from 1 January 2025 (13 days; the package's 2025 and 2026 data
 * agree): 元旦 1 day (1 Jan); 春节 4 days (农历除夕 and 正月初一 to 初三); 清明 1 day (the solar
 * term's day); 劳动节 2 days (1–2 May); 端午 1 day (农历五月初五); 中秋 1 day (农历八月十五);
 * 国庆 3 days (1–3 Oct). Not guessed: the adjusted working days (调休) and the weekday given in
 * lieu of a holiday on a weekend (补假) — the notice fixes those.
 */
export function provisionalYear(year: number): CalendarYear {
  const holidays: Record<string, string> = {};
  const add = (date: string, name: string) => {
    holidays[date] ??= name;
  };
  add(`${year}-01-01`, '元旦');
  add(`${year}-05-01`, '劳动节');
  add(`${year}-05-02`, '劳动节');
  for (const d of ['01', '02', '03']) add(`${year}-10-${d}`, '国庆节');
  if (year >= LUNAR_YEARS.first && year <= LUNAR_YEARS.last) {
    const newYear = parseDate(lunar.getSolarDateFromLunar(`${year}-01-01`).date);
    for (let i = -1; i <= 2; i++) add(iso(newYear + i * DAY_MS), '春节');
    add(lunar.getSolarTermDate(year, 4, 'pure_brightness'), '清明');
    add(lunar.getSolarDateFromLunar(`${year}-05-05`).date, '端午');
    add(lunar.getSolarDateFromLunar(`${year}-08-15`).date, '中秋');
  }
  return { holidays, adjustedWorkdays: {} };
}

function packageYears(): Record<string, CalendarYear> {
  const data = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };
  const years: Record<string, { holidays: Record<string, string>; adjustedWorkdays: Record<string, string> }> = {};
  const yearOf = (d: string) => (years[d.slice(0, 4)] ??= { holidays: {}, adjustedWorkdays: {} });
  for (const [d, v] of Object.entries(data.holidays)) yearOf(d).holidays[d] = v.split(',')[1] ?? v;
  for (const [d, v] of Object.entries(data.workdays)) yearOf(d).adjustedWorkdays[d] = v.split(',')[1] ?? v;
  return years;
}

export class WorkingDayCalendar {
  private readonly official = new Map<number, CalendarYear>();
  private notices = new Map<number, CalendarYear>();
  private readonly provisional = new Map<number, CalendarYear>();

  constructor(years: Readonly<Record<string, CalendarYear>>) {
    for (const [year, data] of Object.entries(years)) this.official.set(Number(year), data);
  }

  /** The package's years, with the override file's years laid over them. */
  static official(overrides: CalendarOverrides = { years: {} }): WorkingDayCalendar {
    return new WorkingDayCalendar({ ...packageYears(), ...overrides.years });
  }

  /** Years with official data (the package, the override file or an entered notice), ascending. */
  get knownYears(): readonly number[] {
    return [...new Set([...this.official.keys(), ...this.notices.keys()])].sort((a, b) => a - b);
  }

  /** Replaces the entered notices (from the platform database) laid over the official data. */
  setNotices(years: ReadonlyMap<number, CalendarYear>): void {
    this.notices = new Map(years);
  }

  /** A copy with one more notice laid over: what deadlines would be once it is in force. */
  withNotice(year: number, notice: CalendarYear): WorkingDayCalendar {
    const copy = new WorkingDayCalendar(Object.fromEntries(this.official));
    copy.setNotices(new Map([...this.notices, [year, notice]]));
    return copy;
  }

  knows(year: number): boolean {
    return this.notices.has(year) || this.official.has(year);
  }

  sourceOf(year: number): CalendarSource {
    if (this.notices.has(year)) return 'NOTICE';
    return this.official.has(year) ? 'OFFICIAL_PACKAGE' : 'PROVISIONAL';
  }

  /** The year's days off and adjusted working days, from its source. */
  year(year: number): CalendarYear {
    const known = this.notices.get(year) ?? this.official.get(year);
    if (known) return known;
    let guessed = this.provisional.get(year);
    if (!guessed) this.provisional.set(year, (guessed = provisionalYear(year)));
    return guessed;
  }

  isWorkingDay(date: string): boolean {
    parseDate(date);
    const data = this.year(Number(date.slice(0, 4)));
    if (date in data.adjustedWorkdays) return true;
    if (date in data.holidays) return false;
    return !isWeekend(date);
  }

  /** Why a date is or is not a working day, for messages: the holiday's name, or "weekend". */
  describe(date: string): string {
    const data = this.year(Number(date.slice(0, 4)));
    const provisional = this.sourceOf(Number(date.slice(0, 4))) === 'PROVISIONAL' ? ', provisional' : '';
    if (date in data.adjustedWorkdays) return `adjusted working day (${data.adjustedWorkdays[date]})`;
    if (date in data.holidays) return `statutory holiday (${data.holidays[date]}${provisional})`;
    return this.isWorkingDay(date) ? 'working day' : 'weekend';
  }

  /** The `n`-th working day after `date` (the start date itself not counted). */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`addWorkingDays counts a whole number of days ≥ 0, received ${n}`);
    let ms = parseDate(date);
    let left = n;
    while (left > 0) {
      ms += DAY_MS;
      if (this.isWorkingDay(iso(ms))) left--;
    }
    return iso(ms);
  }

  /** The `n`-th working day after `from`, provisional when a day counted lies in a provisional year. */
  deadline(from: string, n: number): Deadline {
    const date = this.addWorkingDays(from, n);
    return { date, provisional: this.isProvisionalSpan(from, date) };
  }

  /**
   * Whether a deadline counted from `from` to `due` (the days after `from` up to `due`) rests on
   * a provisional year; false when there is no due date.
   */
  isProvisionalSpan(from: string, due: string | null | undefined): boolean {
    if (!due) return false;
    const first = Number(iso(parseDate(from) + DAY_MS).slice(0, 4));
    for (let year = first; year <= Number(due.slice(0, 4)); year++) if (this.sourceOf(year) === 'PROVISIONAL') return true;
    return false;
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let ms = parseDate(from) + DAY_MS, end = parseDate(to); ms <= end; ms += DAY_MS) if (this.isWorkingDay(iso(ms))) count++;
    return count;
  }
}
