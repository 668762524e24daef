/**
 * The README's "How it fits together" (issue 12) points a newcomer at files: every path it
 * names must exist, so a move or a rename that forgets the tour fails here. Paths are read from
 * backticks in that section (a folder ends in `/`); package names and `../shared` are not paths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The section from its heading to the next heading of the same level. */
export function tourSection(readme: string): string {
  const start = readme.indexOf('\n## How it fits together\n');
  if (start < 0) return '';
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Backticked repository paths: a top folder followed by `/`, or a file with an extension at the root. */
export function citedPaths(section: string): string[] {
  const paths = new Set<string>();
  for (const [, text] of section.matchAll(/`([^`\s]+)`/g)) {
    if (/^[a-z][\w.-]*\/[\w./…-]*$/.test(text!) && !text!.includes('…')) paths.add(text!);
    else if (/^\.[\w.-]+\.cjs$/.test(text!)) paths.add(text!);
  }
  return [...paths].sort();
}

describe('the README tour', () => {
  const section = tourSection(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('cites paths that exist', () => {
    const cited = citedPaths(section);
    expect(cited.length, 'the section and its tables are there').toBeGreaterThan(60);
    expect(cited.filter((p) => !existsSync(join(ROOT, p))), 'paths in the README tour that do not exist').toEqual([]);
  });

  it('has a row for each request stage of gateway/pipeline.ts and each rule R1–R13', () => {
    const pipeline = readFileSync(join(ROOT, 'gateway/pipeline.ts'), 'utf8');
    const stages = [...pipeline.matchAll(/^ \* \|\s*(\d+) \|/gm)].map((m) => Number(m[1]));
    expect(stages).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (const n of stages) expect(section, `stage ${n}`).toMatch(new RegExp(`^\\| ${n} \\| `, 'm'));
    for (let r = 1; r <= 13; r++) expect(section, `rule R${r}`).toMatch(new RegExp(`^\\| R${r} \\| `, 'm'));
  });

  it('finds a missing path (positive control of the scan)', () => {
    const planted = '| 1 | x | `gateway/noSuchStage.ts`, `@apollo/gateway`, `lib/errors.ts` |';
    expect(citedPaths(planted)).toEqual(['gateway/noSuchStage.ts', 'lib/errors.ts']);
    expect(citedPaths(planted).filter((p) => !existsSync(join(ROOT, p)))).toEqual(['gateway/noSuchStage.ts']);
  });
});
