/**
 * Audit records for their readers (`govgraph audit query --format jsonl|csv|xlsx`): citizen
 * identity numbers masked (`4401**********0119`, lib/maskIdNumber.ts) in every format — the
 * lookup keys of kind idNumber whatever their form, and any identity number inside another
 * value; CSV as UTF-8 with a BOM and Chinese headers (English in brackets, as the catalogue's),
 * Excel through exceljs with the same columns.
 *
 * The masked output no longer matches the record's hash: it is for reading; `audit verify`
 * reads the store itself.
 */
import type { AuditEntry } from './auditRecord.ts';
import { maskIdNumber, maskIdNumbersIn } from '../lib/maskIdNumber.ts';

/** The record with every citizen identity number masked. */
export function maskAuditEntry(entry: AuditEntry): AuditEntry {
  const keys = entry.keys.map((k) => (k.kind === 'idNumber' ? { ...k, value: maskIdNumber(k.value) } : k));
  return JSON.parse(maskIdNumbersIn(JSON.stringify({ ...entry, keys }))) as AuditEntry;
}

type Column = readonly [header: string, value: (e: AuditEntry) => string | number | null];

const list = (values: readonly string[]) => values.join(' ');

const COLUMNS: readonly Column[] = [
  ['序号 (seq)', (e) => e.seq],
  ['时间 (time)', (e) => e.time],
  ['类型 (kind)', (e) => (e.kind === 'ACCESS' ? '数据访问 (ACCESS)' : '管理操作 (ADMIN)')],
  ['部门 (department)', (e) => e.department],
  ['应用或管理员 (credential)', (e) => e.credentialId],
  ['用途 (purpose)', (e) => e.purpose],
  ['办件编号 (case id)', (e) => e.caseId],
  ['操作名称 (operation)', (e) => e.operationName],
  ['请求字段 (requested)', (e) => list(e.requested)],
  ['返回字段 (returned)', (e) => list(e.returned)],
  ['拒绝字段 (denied)', (e) => list(e.denied)],
  ['查询键 (keys)', (e) => e.keys.map((k) => `${k.kind}=${k.value}`).join(' ')],
  ['HTTP 状态 (status)', (e) => e.status],
  ['管理动作 (action)', (e) => e.action],
  ['对象 (target)', (e) => e.target],
  ['理由 (reason)', (e) => e.reason],
  ['请求 id (request id)', (e) => e.requestId],
  ['哈希 (hash)', (e) => e.hash],
];

const csvField = (value: string | number | null) => {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const AUDIT_CSV_HEADERS: readonly string[] = COLUMNS.map(([h]) => h);

export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [COLUMNS.map(([h]) => csvField(h)).join(','), ...entries.map((e) => COLUMNS.map(([, v]) => csvField(v(e))).join(','))];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export async function auditXlsx(entries: readonly AuditEntry[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'govgraph';
  const sheet = workbook.addWorksheet('审计记录', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(COLUMNS.map(([h]) => h)).font = { bold: true };
  for (const e of entries) sheet.addRow(COLUMNS.map(([, v]) => v(e)));
  sheet.columns.forEach((column) => { column.width = 20; });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
