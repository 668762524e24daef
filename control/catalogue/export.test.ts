import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { buildCatalogue } from './buildCatalogue.ts';
import { runCatalogueCommand } from '../../cli/catalogueCommand.ts';
import { CSV_HEADERS, catalogueDocument, csvField, toCsv, toJson, toXlsx } from './export.ts';
import { placeCatalogue } from './placement.ts';
import { DEMO_PROVIDER_NAMES, demoSnapshot } from './testing.ts';

const NOW = new Date('2026-11-20T02:00:00Z');
const entries = buildCatalogue({ definition: placeCatalogue(SUBGRAPHS), snapshot: demoSnapshot(), providers: DEMO_PROVIDER_NAMES, now: NOW }, { strict: true });

/** A small RFC 4180 reader, to check the writer against. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  return rows;
}

describe('catalogue export', () => {
  it('writes JSON with the standard, the policy version and every entry', () => {
    const document = JSON.parse(toJson(catalogueDocument(entries, 7, NOW)));
    expect(document).toMatchObject({ standard: expect.stringMatching(/GB\/T 21063/), generatedAt: NOW.toISOString(), policyVersion: 7 });
    expect(document.entries).toHaveLength(7);
    expect(document.entries[0].items.find((i: any) => i.coordinate === 'Person.biometricTemplate')).toMatchObject({ sharingClass: 'NOT_SHARED' });
  });

  it('writes CSV, one row per information item with its entry\'s elements, quoted as RFC 4180 says', () => {
    // UTF-8 with a BOM: Excel on Chinese Windows reads the file as UTF-8, not GBK.
    expect(toCsv([]).startsWith('\ufeff资源分类')).toBe(true);
    const rows = parseCsv(toCsv(entries).slice(1));
    expect(rows[0]).toEqual([...CSV_HEADERS]);
    // Headers need no quoting: a reader that splits the first line on commas gets them right.
    expect(toCsv([]).slice(1).split('\r\n')[0]!.split(',')).toEqual([...CSV_HEADERS]);
    expect(rows).toHaveLength(1 + entries.reduce((n, e) => n + e.items.length, 0));
    const column = (header: string) => rows[0]!.indexOf(header);
    const address = rows.find((r) => r[column('字段坐标 (field coordinate)')] === 'Person.householdAddress')!;
    expect(address[column('信息资源代码 (resource code)')]).toBe('101001/000001');
    expect(address[column('信息项名称 (item name)')]).toBe('户籍地址');
    expect(address[column('共享类型 (sharing class)')]).toBe('CONDITIONAL');
    expect(address[column('使用用途 (purposes)')]).toBe('ADMINISTRATIVE_BASIS DATA_VERIFICATION');
    expect(address[column('共享方式 (provision methods)')]).toBe('在线查询、核验');
    expect(address[column('依据 (legal basis)')]).toMatch(/个人信息保护法/);
    expect(address[column('更新周期 (update cycle)')]).toBe('实时');
    for (const row of rows) expect(row).toHaveLength(CSV_HEADERS.length);
    expect(csvField('a "b", c\nd')).toBe('"a ""b"", c\nd"');
    expect(csvField(null)).toBe('');
  });

  it('says what to do when there is no platform store to export from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'govgraph-catalogue-cli-'));
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => { err.push(chunk); return true; }) as never;
    try {
      expect(await runCatalogueCommand(['export'], {}, { DATA_DIR: dir })).toBe(1);
      expect(await runCatalogueCommand(['export'], { format: 'xml' }, { DATA_DIR: dir })).toBe(1);
      expect(await runCatalogueCommand(['publish'], {}, { DATA_DIR: dir })).toBe(1);
    } finally {
      process.stderr.write = write;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(err.join('')).toMatch(/no platform store under .*: start the platform once/);
    expect(err.join('')).toMatch(/--format is json, csv or xlsx, received "xml"/);
    expect(err.join('')).toMatch(/usage: govgraph catalogue export/);
  });

  it('writes an Excel workbook with the CSV\'s headers and rows', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await toXlsx(entries) as never);
    const sheet = workbook.getWorksheet('政务信息资源目录')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...CSV_HEADERS]);
    expect(sheet.rowCount).toBe(1 + entries.reduce((n, e) => n + e.items.length, 0));
    const coordinate = CSV_HEADERS.indexOf('字段坐标 (field coordinate)') + 1;
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(coordinate).value === 'Person.householdAddress')!;
    expect(row.getCell(CSV_HEADERS.indexOf('信息项名称 (item name)') + 1).value).toBe('户籍地址');
  });
});
