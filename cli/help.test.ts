import { describe, expect, it } from 'vitest';
import { areaHelp, cliLanguage, commandHelp, flagsNamedInHelp, hasFlagDescription, HELP, toolHelp } from './help.ts';
import { OPTIONS, wantsJson } from './main.ts';
import { displayWidth, renderHuman } from './table.ts';

/** Flags parsed by the audit and local commands themselves (audit/cli.ts, platform/*Command.ts). */
const OWN_PARSERS = new Set(['indexes', 'workers', 'public-key', 'app', 'outcome', 'kind', 'request', 'order']);

describe('the command line help', () => {
  it('follows the locale: zh* is Chinese, anything else English, GOVGRAPH_LANG overrides', () => {
    expect(cliLanguage({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(cliLanguage({ LC_ALL: 'C.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(cliLanguage({})).toBe('en');
    expect(cliLanguage({ LANG: 'en_US.UTF-8', GOVGRAPH_LANG: 'zh' })).toBe('zh');
    expect(toolHelp('zh')).toContain('用法: govgraph <区域> <命令>');
    expect(toolHelp('en')).toContain('usage: govgraph <area> <command>');
  });

  it('lists the catalogue and every area, and describes every flag it names in both languages', () => {
    for (const area of ['applications', 'policy', 'grants', 'subgraph', 'catalogue', 'report', 'departments', 'purposes', 'people', 'apps', 'audit', 'keys', 'backup', 'notifications']) {
      expect(toolHelp('en')).toContain(`  ${area}`);
      expect(areaHelp(area, 'zh')).toBeTruthy();
    }
    for (const flag of flagsNamedInHelp()) {
      expect(hasFlagDescription(flag), `--${flag} has no description`).toBe(true);
      // A flag the help offers is one the parser accepts (else "Unknown option" for a documented flag).
      expect(flag in OPTIONS || OWN_PARSERS.has(flag) || ['admin-url'].includes(flag), `--${flag} is not parsed`).toBe(true);
    }
    expect(commandHelp('applications', 'apply', 'zh')).toMatch(/--justification\s+申请理由/);
    expect(commandHelp('catalogue', 'export', 'en')).toContain('[--format json|csv|xlsx] [--out FILE]');
    expect(Object.keys(HELP.catalogue!.commands)).toEqual(['export', 'updates']);
  });

  it('prints JSON for scripts and tables for people', () => {
    expect(wantsJson([], { isTTY: false })).toBe(true);
    expect(wantsJson([], { isTTY: true })).toBe(false);
    expect(wantsJson(['--json'], { isTTY: true })).toBe(true);
    expect(wantsJson(['--table'], { isTTY: false })).toBe(false);
    expect(displayWidth('行政依据 ab')).toBe(11);
    const table = renderHuman([{ code: 'ADMINISTRATIVE_BASIS', name: '行政依据' }, { code: 'X', name: null }]);
    expect(table.split('\n')).toEqual(['code                  name', '────────────────────  ────────', 'ADMINISTRATIVE_BASIS  行政依据', 'X                     —', '']);
    expect(renderHuman({ id: 'a', events: [{ at: 't' }] })).toBe('id  a\n\nevents:\nat\n──\nt\n');
  });
});
