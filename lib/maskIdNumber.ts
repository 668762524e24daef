/**
 * Masking of citizen identity numbers (居民身份证号码) for display and export: the first four
 * digits (province and city) and the last four (sequence and check digit) stay, the ten
 * between — district, birth date, sequence — become `*`: `4401**********0119`. This is the
 * convention of Chinese government systems (GB/T 35273 personal-information display); the full
 * number is shown only by a deliberate, audited reveal to someone entitled.
 *
 * Used by the CLI and exports (cli/, audit/) and the web console, so they mask alike.
 */

/** An 18-digit number (check digit 0–9 or X) or a first-generation 15-digit one, with a plausible birth date. */
const ID_NUMBER = /(?<![0-9A-Za-z])(?:\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]|\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])/g;

/** Whether `value` is, as a whole, a citizen identity number. */
export function isIdNumber(value: string): boolean {
  ID_NUMBER.lastIndex = 0;
  const match = ID_NUMBER.exec(value);
  return match !== null && match[0] === value;
}

/**
 * `440104199001010119` → `4401**********0119`. Anything that is not an identity number is
 * masked all the same when it is long enough to be one mistyped (keeping four at each end),
 * so a malformed number never shows in full; short values are wholly masked.
 */
export function maskIdNumber(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}

/** Every identity number inside a text (a JSON record, a CSV cell, a lookup key `idNumber=…`) masked. */
export function maskIdNumbersIn(text: string): string {
  return text.replace(ID_NUMBER, (id) => maskIdNumber(id));
}
