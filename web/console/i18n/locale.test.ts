import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './locale.ts';

describe('negotiateLocale', () => {
  it('gives zh-CN to a browser asking for any Chinese', () => {
    expect(negotiateLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(negotiateLocale('zh-TW')).toBe('zh-CN');
    expect(negotiateLocale(['zh', 'en-US'])).toBe('zh-CN');
  });

  it('gives English to a browser preferring English', () => {
    expect(negotiateLocale('en-US,en;q=0.9')).toBe('en');
    expect(negotiateLocale('fr-FR,en;q=0.5,zh;q=0.4')).toBe('en');
    expect(negotiateLocale('zh;q=0.2, en-GB;q=0.8')).toBe('en');
    expect(negotiateLocale(['en-GB'])).toBe('en');
  });

  it('gives zh-CN to anything else, nothing or garbage', () => {
    expect(negotiateLocale('fr-FR,de;q=0.5')).toBe('zh-CN');
    expect(negotiateLocale(undefined)).toBe('zh-CN');
    expect(negotiateLocale('')).toBe('zh-CN');
    expect(negotiateLocale(';;;q=x,,')).toBe('zh-CN');
    expect(negotiateLocale('en;q=0')).toBe('zh-CN');
  });
});
