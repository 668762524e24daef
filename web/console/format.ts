/** Dates and times as the console shows them: China time, because due dates and grants are China dates. */

const CHINA_TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** An ISO instant as China time, `2026-11-22 12:14`; dates and unparsable strings as given. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return CHINA_TIME.format(t).replace(',', '');
}

/** Today in China (YYYY-MM-DD): due dates and validity periods are China dates. */
export function chinaToday(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The China date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The last China date an end instant is valid on: grants end at the China midnight after their
 * last day (exclusive), and people say "until 2027-03-31" (inclusive), not "2027-04-01 00:00".
 * Null when the instant is not a China midnight (shown as a time then).
 */
export function lastValidDate(iso: string | null | undefined): string | null {
  if (!iso) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const t = Date.parse(iso);
  if (Number.isNaN(t) || (t + 8 * 3_600_000) % 86_400_000 !== 0) return null;
  return chinaToday(t - 1);
}

/** A resident identity card number (GB 11643: 17 digits and a check character, or the old 15 digits). */
const CITIZEN_ID = /(?<![\dA-Za-z])(\d{4})(\d{7}|\d{10})(\d{3}[\dXx]|\d{4})(?![\dA-Za-z])/g;

/**
 * 身份证号 as the console shows them: masked, `4401**********0119` (the first 4 and the last 4
 * characters kept, the birth date and sequence hidden). Anything else in the text is unchanged.
 */
export function maskCitizenIds(text: string): string {
  return text.replace(CITIZEN_ID, (whole: string, head: string, middle: string, tail: string) => (whole.length === 18 || whole.length === 15 ? `${head}${'*'.repeat(middle.length)}${tail}` : whole));
}
