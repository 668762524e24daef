/**
 * The lint rule keeping the console's texts in its catalogues: a literal Chinese or English text
 * in JSX (or in an attribute people read) is refused; catalogue calls, codes, coordinates, URLs
 * and decorative marks pass. And the console itself lints clean under it.
 */
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import plugin, { isUiText } from './noLiteralUiText.js';

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [{
    files: ['**/*.tsx'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { govgraph: plugin },
    rules: { 'govgraph/no-literal-ui-text': 'error' },
  }],
});

async function problems(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: 'web/console/pages/x.tsx' });
  return result!.messages.map((m) => m.message);
}

describe('no-literal-ui-text', () => {
  it('refuses literal Chinese and English texts in JSX and in read attributes', async () => {
    expect(await problems('const a = <h2>成员管理</h2>;')).toHaveLength(1);
    expect(await problems('const a = <p>No field matches.</p>;')).toHaveLength(1);
    expect(await problems('const a = <input placeholder="e.g. your office system" />;')).toHaveLength(1);
    expect(await problems('const a = <Field label="姓名" htmlFor="x" />;')).toHaveLength(1);
    expect(await problems("const a = <Async what={'the catalogue'} />;")).toHaveLength(1);
  });

  it('lets catalogue texts, codes, coordinates, URLs, units and decorative marks pass', async () => {
    expect(await problems("const a = <h2>{t('members')} <code>{code}</code></h2>;")).toEqual([]);
    expect(await problems('const a = <p>HTTP {s} · {ms} ms · —</p>;')).toEqual([]);
    expect(await problems('const a = <input placeholder="Person.householdAddress" className="wide text" data-testid="field input" />;')).toEqual([]);
    expect(await problems('const a = <input placeholder="https://oa.example.gov.cn/govgraph/notifications" />;')).toEqual([]);
    expect(await problems('const a = <span className="brand-mark" aria-hidden="true">政</span>;')).toEqual([]);
    expect(isUiText('SDL')).toBe(false);
    expect(isUiText('审计')).toBe(true);
  });

  it('finds nothing in the console', async () => {
    const console = new ESLint({ cwd: process.cwd() });
    const results = await console.lintFiles(['web/console/**/*.tsx']);
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'govgraph/no-literal-ui-text').map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(found).toEqual([]);
  });
});
