import { describe, expect, it } from 'vitest';
import { localeOf, localizable, localizeError } from './messages.ts';

describe('the server\'s messages', () => {
  it('reads Accept-Language: zh* is Chinese; none, en* and other languages English; q-values count', () => {
    expect(localeOf(undefined)).toBe('en');
    expect(localeOf('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(localeOf('zh-TW')).toBe('zh');
    expect(localeOf('en-US,zh;q=0.5')).toBe('en');
    expect(localeOf('fr-FR,zh;q=0.3')).toBe('zh');
    expect(localeOf('zh;q=0, en')).toBe('en');
    expect(localeOf('de')).toBe('en');
  });

  it('says a catalogued error in the language asked, keeps its code and drops the key', () => {
    const said = localizable('purpose.unknown', { received: '"随便"', known: 'ADMINISTRATIVE_BASIS (行政依据)' });
    const error = { message: said.message, extensions: { code: 'PURPOSE_REQUIRED', i18n: said.i18n } };
    expect(localizeError(error, 'zh')).toEqual({ message: 'X-Purpose "随便" 不是已登记的使用用途,或已停用;可选:ADMINISTRATIVE_BASIS (行政依据)', extensions: { code: 'PURPOSE_REQUIRED' } });
    expect(localizeError(error, 'en')).toEqual({ message: said.message, extensions: { code: 'PURPOSE_REQUIRED' } });
    const other = { message: 'something else', extensions: { code: 'BAD_USER_INPUT' } };
    expect(localizeError(other, 'zh')).toBe(other);
  });
});
