/**
 * The working-day calendar of the People's Republic of China, for deadlines counted in
 * working days (R3: catalogue updates; R5: answers to applications within 10 working days).
 *
 * Glossary:
 * - statutory holiday (法定节假日): a day off by the State Council's annual notice, even on a weekday.
 * - adjusted working day (调休上班日): a Saturday or Sunday worked to make a holiday longer.
 * - working day: a Monday–Friday that is not a holiday, or an adjusted working day.
 *
 * Data: the maintained `chinese-days` package (the annual notices), plus a local override file
 * for years it lacks or corrections. A year neither knows is refused rather than guessed: the
 * notice for the coming year is published each autumn, and a deadline computed without it
 * could be a week wrong.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

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

export class CalendarYearUnknownError extends Error {
  constructor(readonly year: number, readonly known: readonly number[]) {
    super(`the working-day calendar has no data for ${year} (it knows ${known[0]}–${known[known.length - 1]}): add the State Council's holiday notice for ${year} to the calendar override file`);
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

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The calendar date in China (UTC+8, no daylight saving) of an instant. */
export function chinaDate(instant: Date | number | string): string {
  const ms = typeof instant === 'number' ? instant : new Date(instant).getTime();
  return iso(ms + 8 * 3_600_000);
}

export class WorkingDayCalendar {
  private readonly holidays = new Map<string, string>();
  private readonly workdays = new Map<string, string>();
  readonly knownYears: readonly number[];

  constructor(years: Readonly<Record<string, CalendarYear>>) {
    const known: number[] = [];
    for (const [year, data] of Object.entries(years)) {
      known.push(Number(year));
      for (const [d, name] of Object.entries(data.holidays)) this.holidays.set(d, name);
      for (const [d, name] of Object.entries(data.adjustedWorkdays)) this.workdays.set(d, name);
    }
    this.knownYears = known.sort((a, b) => a - b);
  }

  /** The package's years, with the override file's years laid over them. */
  static official(overrides: CalendarOverrides = { years: {} }): WorkingDayCalendar {
    const data = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };
    const years: Record<string, { holidays: Record<string, string>; adjustedWorkdays: Record<string, string> }> = {};
    const yearOf = (d: string) => (years[d.slice(0, 4)] ??= { holidays: {}, adjustedWorkdays: {} });
    for (const [d, v] of Object.entries(data.holidays)) yearOf(d).holidays[d] = v.split(',')[0]!;
    for (const [d, v] of Object.entries(data.workdays)) yearOf(d).adjustedWorkdays[d] = v.split(',')[0]!;
    return new WorkingDayCalendar({ ...years, ...overrides.years });
  }

  knows(year: number): boolean {
    return this.knownYears.includes(year);
  }

  isWorkingDay(date: string): boolean {
    const ms = parseDate(date);
    const year = Number(date.slice(0, 4));
    if (!this.knows(year)) throw new CalendarYearUnknownError(year, this.knownYears);
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const weekday = new Date(ms).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** Why a date is not a working day, for messages: the holiday's name, or "weekend". */
  describe(date: string): string {
    if (this.workdays.has(date)) return `adjusted working day (${this.workdays.get(date)})`;
    if (this.holidays.has(date)) return `statutory holiday (${this.holidays.get(date)})`;
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

  /** Working days after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let ms = parseDate(from) + DAY_MS, end = parseDate(to); ms <= end; ms += DAY_MS) if (this.isWorkingDay(iso(ms))) count++;
    return count;
  }
}
