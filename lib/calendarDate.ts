/**
 * Calendar dates as the admin API takes them (`YYYY-MM-DD`): real days of the Gregorian
 * calendar within the years the platform plans for. `Date.parse` is no check: V8 reads
 * `2027-02-30` as 2 March and gives NaN for `9999-99-99`, which every comparison then
 * passes — an application until "9999-99-99" was accepted and its approval failed later
 * with "Invalid time value". One helper for every date argument, so they all refuse alike.
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from './errors.ts';

/** @default '2000-01-01' */
export const EARLIEST_DATE = '2000-01-01';
/** @default '2100-12-31' */
export const LATEST_DATE = '2100-12-31';

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDateOptions {
  /** The argument's name, for the message. */
  readonly name: string;
  /** The earliest acceptable date (an "until" date: today). @default EARLIEST_DATE */
  readonly notBefore?: string;
  /** What `notBefore` means, for the message, e.g. "today (China time)". */
  readonly notBeforeMeaning?: string;
}

/**
 * The date itself when `value` is a real calendar date `YYYY-MM-DD` from EARLIEST_DATE to
 * LATEST_DATE (and not before `notBefore`); otherwise a BAD_USER_INPUT error (HTTP 400)
 * naming the argument, what was received and what is accepted.
 */
export function calendarDate(value: unknown, options: CalendarDateOptions): string {
  const problem = calendarDateProblem(value, options);
  if (problem) {
    throw new GraphQLError(`${options.name} ${problem}, received ${JSON.stringify(value)}`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, argument: options.name, http: { status: 400 } },
    });
  }
  return value as string;
}

/** Why `value` is not an acceptable date, or null when it is. */
export function calendarDateProblem(value: unknown, options: Omit<CalendarDateOptions, 'name'> = {}): string | null {
  const match = typeof value === 'string' ? SHAPE.exec(value) : null;
  if (!match) return 'must be a date written YYYY-MM-DD';
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  // A real day round-trips through Date.UTC unchanged; 02-30 or 13-01 roll over and do not.
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'is not a day of the calendar';
  const text = value as string;
  if (text < EARLIEST_DATE || text > LATEST_DATE) return `must be from ${EARLIEST_DATE} to ${LATEST_DATE}`;
  if (options.notBefore && text < options.notBefore) return `must not be before ${options.notBeforeMeaning ?? options.notBefore} (${options.notBefore})`;
  return null;
}
