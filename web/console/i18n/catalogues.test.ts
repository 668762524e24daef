/**
 * Every text of the console exists in Chinese and in English: each catalogue has the same keys
 * in both, none empty, with the same {placeholders}; and every `t('key')` a source file uses is
 * in a catalogue that file defines or in the shared one.
 */
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { placeholdersOf, registeredCatalogues, type Messages } from './defineMessages.ts';

const consoleDir = join(dirname(fileURLToPath(import.meta.url)), '..');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && !entry.name.startsWith('.')) out.push(...(await sources(full)));
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** The source files and their text; those defining catalogues are imported (which registers them). */
const files = new Map<string, string>();
let catalogues: readonly Messages[] = [];

beforeAll(async () => {
  for (const file of await sources(consoleDir)) files.set(file, await readFile(file, 'utf8'));
  for (const [file, text] of files) {
    // app.tsx renders on import; it defines no catalogue of its own (only uses COMMON).
    if (/\bdefineMessages\(\s*'/.test(text)) await import(pathToFileURL(file).href);
  }
  catalogues = registeredCatalogues();
});

describe('console message catalogues', () => {
  it('are found, the shared one among them', () => {
    expect(catalogues.map((c) => c.name)).toContain('common');
    expect(catalogues.length).toBeGreaterThan(3);
  });

  it('have the same keys in zh-CN and en, none empty, with the same placeholders', () => {
    const problems: string[] = [];
    for (const c of catalogues) {
      const zh = Object.keys(c['zh-CN']).sort();
      const en = Object.keys(c.en).sort();
      for (const k of zh) if (!en.includes(k)) problems.push(`${c.name}.${k}: no English text`);
      for (const k of en) if (!zh.includes(k)) problems.push(`${c.name}.${k}: no Chinese text`);
      for (const k of zh) {
        const z = c['zh-CN'][k as never] as string;
        const e = c.en[k as never] as string | undefined;
        if (!z?.trim()) problems.push(`${c.name}.${k}: empty Chinese text`);
        if (e !== undefined && !e.trim()) problems.push(`${c.name}.${k}: empty English text`);
        if (e !== undefined && placeholdersOf(z).join() !== placeholdersOf(e).join()) problems.push(`${c.name}.${k}: placeholders differ (${placeholdersOf(z)} / ${placeholdersOf(e)})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('hold every key the console uses, in both languages', () => {
    const byName = new Map(catalogues.map((c) => [c.name, c]));
    const common = byName.get('common')!;
    const problems: string[] = [];
    let used = 0;
    for (const [file, text] of files) {
      const own = [...text.matchAll(/\bdefineMessages\(\s*'([^']+)'/g)].map((m) => byName.get(m[1]!)).filter((c): c is Messages => !!c);
      const usesCommon = /\buseMessages\(COMMON\)|\buseLabels\(\)/.test(text);
      const available = [...own, ...(usesCommon ? [common] : [])];
      // Comments (the how-to in defineMessages.ts) are examples, not uses.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const m of code.matchAll(/\bt(?:\.rich)?\(\s*'([^']+)'/g)) {
        used++;
        const key = m[1]!;
        if (!available.some((c) => key in c['zh-CN'] && key in c.en)) problems.push(`${relative(consoleDir, file)}: t('${key}') is in no catalogue it uses`);
      }
    }
    expect(used).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });

  it('a missing key shows as ⟦key⟧ rather than as nothing (the browser tests fail on its console error)', async () => {
    const { translator, defineMessages } = await import('./defineMessages.ts');
    const m = defineMessages('catalogues.test', { a: '甲 {n}' }, { a: 'A {n}' });
    const errors: string[] = [];
    const original = console.error;
    console.error = (msg: string) => errors.push(msg);
    try {
      expect(translator(m, 'zh-CN')('a', { n: 1 })).toBe('甲 1');
      expect(translator(m, 'en')('a', { n: 2 })).toBe('A 2');
      expect(translator(m, 'en')('b' as 'a')).toBe('⟦b⟧');
    } finally {
      console.error = original;
    }
    expect(errors).toEqual(['missing translation: catalogues.test.b (en)']);
  });
});
