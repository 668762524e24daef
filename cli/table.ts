/**
 * Human-readable output of a command's result: a list of records as a table with aligned
 * columns (Chinese characters count two columns, as terminals draw them), one record as
 * `key  value` lines with its nested lists as tables below, text as it is.
 */

/** Terminal columns a string takes: East Asian wide and fullwidth characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    width += (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3)
      || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60)
      || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x20000 && code <= 0x3fffd) ? 2 : 1;
  }
  return width;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** The widest a cell may be before it is cut with `…`; `--json` shows everything. */
const MAX_CELL = 60;

function cell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '—';
  else if (Array.isArray(value)) text = value.every((v) => typeof v !== 'object' || v === null) ? value.join(', ') : `[${value.length}]`;
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  text = text.replace(/\s+/g, ' ');
  if (displayWidth(text) <= MAX_CELL) return text;
  let cut = '';
  for (const ch of text) {
    if (displayWidth(cut + ch) > MAX_CELL - 1) break;
    cut += ch;
  }
  return `${cut}…`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function renderTable(rows: readonly Record<string, unknown>[], empty = '(none)'): string {
  if (rows.length === 0) return `${empty}\n`;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(displayWidth(c), ...cells.map((row) => displayWidth(row[i]!))));
  const lineOf = (values: readonly string[]) => values.map((v, i) => (i === values.length - 1 ? v : pad(v, widths[i]!))).join('  ').trimEnd();
  return [lineOf(columns), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(lineOf)].join('\n') + '\n';
}

/** Any command's result, for a person at a terminal. */
export function renderHuman(result: unknown, empty = '(none)'): string {
  if (typeof result === 'string') return result.endsWith('\n') ? result : `${result}\n`;
  if (Array.isArray(result)) {
    if (result.every(isRecord)) return renderTable(result, empty);
    return `${result.map((v) => cell(v)).join('\n')}\n`;
  }
  if (!isRecord(result)) return `${cell(result)}\n`;
  const scalars = Object.entries(result).filter(([, v]) => !(Array.isArray(v) && v.some(isRecord)) && !isRecord(v));
  const nested = Object.entries(result).filter(([k]) => !scalars.some(([s]) => s === k));
  const width = Math.max(0, ...scalars.map(([k]) => displayWidth(k)));
  const parts = [scalars.map(([k, v]) => `${pad(k, width)}  ${cell(v)}`).join('\n') + (scalars.length ? '\n' : '')];
  for (const [key, value] of nested) parts.push(`\n${key}:\n${isRecord(value) ? renderHuman(value, empty) : renderTable(value as Record<string, unknown>[], empty)}`);
  return parts.join('');
}
