/**
 * The catalogue exported for publication and for the national catalogue system: JSON (every
 * element, nested as in the API) and CSV (one row per information item with its entry's
 * elements repeated — the sheet layout catalogue compilers exchange; headers in Chinese with
 * the English in brackets; RFC 4180 quoting, CRLF line ends, UTF-8 with a BOM, without which
 * Excel on Chinese Windows reads the file as GBK and shows garbage) and Excel (.xlsx, the same
 * columns and rows, through exceljs).
 */
import type { CatalogueEntry } from './model.ts';

export const CATALOGUE_STANDARD = 'GB/T 21063 政务信息资源目录体系; 政务信息资源目录编制指南（试行）';

export interface CatalogueDocument {
  readonly standard: string;
  readonly generatedAt: string;
  readonly policyVersion: number;
  readonly entries: readonly CatalogueEntry[];
}

export function catalogueDocument(entries: readonly CatalogueEntry[], policyVersion: number, now: Date): CatalogueDocument {
  return { standard: CATALOGUE_STANDARD, generatedAt: now.toISOString(), policyVersion, entries };
}

export function toJson(document: CatalogueDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

type Column = readonly [header: string, value: (entry: CatalogueEntry, item: CatalogueEntry['items'][number]) => string | number | boolean | null];

const COLUMNS: readonly Column[] = [
  ['资源分类 (category)', (e) => `${e.classification.categoryName}/${e.classification.itemName}/${e.classification.subjectName}`],
  ['分类代码 (classification code)', (e) => e.classification.code],
  ['部门目录分类代码 (departmental classification code)', (e) => e.departmentalClassification.code],
  ['信息资源代码 (resource code)', (e) => e.resourceCode],
  ['资源编码 (platform code)', (e) => e.code],
  ['信息资源名称 (name)', (e) => e.name],
  ['资源英文名称 (English name)', (e) => e.nameEn],
  ['信息资源提供方 (provider)', (e) => e.provider.name],
  ['提供方代码 (provider code)', (e) => e.provider.providerCode],
  ['信息资源摘要 (abstract)', (e) => e.abstract],
  ['英文摘要 (English abstract)', (e) => e.abstractEn],
  ['信息资源格式 (format)', (e) => e.format.name],
  ['信息项名称 (item name)', (_, i) => i.name],
  ['信息项英文名称 (English item name)', (_, i) => i.nameEn],
  ['字段坐标 (field coordinate)', (_, i) => i.coordinate],
  ['数据类型 (data type)', (_, i) => `${i.dataType.code} ${i.dataType.name}`],
  ['共享类型 (sharing class)', (_, i) => i.sharingClass],
  ['共享条件 (sharing condition)', (_, i) => i.condition],
  ['使用用途 (purposes)', (_, i) => (i.purposes.length ? i.purposes.join(' ') : '不限 (any declared purpose)')],
  ['依据 (legal basis)', (_, i) => i.basis],
  ['共享方式 (provision methods)', (e) => e.sharing.methods.filter((m) => m.available).map((m) => m.name).join('、')],
  ['资源共享类型 (resource sharing type)', (e) => e.sharing.name],
  ['开放属性 (open attributes)', (e) => e.open.name],
  ['开放条件 (open condition)', (e) => e.open.condition],
  ['更新周期 (update cycle)', (e) => e.updateCycleName],
  ['发布日期 (release date)', (e) => e.releaseDate],
  ['最后更新 (last update)', (e) => e.lastUpdated],
  ['数据最后变更 (data last changed)', (e) => e.freshness.dataLastChanged],
  ['是否超期未更新 (stale)', (e) => e.freshness.stale],
  ['待更新 (update pending)', (e) => e.updatePending],
  ['更新期限 (update due)', (e) => e.openUpdate?.dueDate ?? null],
  ['关联资源代码 (related resources)', (e) => e.relatedResources.join(' ')],
];

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The byte order mark that tells spreadsheet programs the file is UTF-8. */
export const UTF8_BOM = '\ufeff';

export function toCsv(entries: readonly CatalogueEntry[]): string {
  const lines = [COLUMNS.map(([header]) => csvField(header)).join(',')];
  for (const entry of entries) for (const item of entry.items) lines.push(COLUMNS.map(([, value]) => csvField(value(entry, item))).join(','));
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}

/** The same sheet as the CSV, as an Excel workbook (one worksheet, 政务信息资源目录). */
export async function toXlsx(entries: readonly CatalogueEntry[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'govgraph';
  const sheet = workbook.addWorksheet('政务信息资源目录', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(COLUMNS.map(([header]) => header)).font = { bold: true };
  for (const entry of entries) for (const item of entry.items) sheet.addRow(COLUMNS.map(([, value]) => value(entry, item)));
  sheet.columns.forEach((column) => { column.width = 24; });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const CSV_HEADERS: readonly string[] = COLUMNS.map(([header]) => header);
