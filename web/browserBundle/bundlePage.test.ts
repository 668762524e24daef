import { describe, expect, it } from 'vitest';
import { bundlePage } from './bundlePage.ts';
import { escapeAttr } from './escapeAttr.ts';

describe('bundlePage', () => {
  const page = bundlePage({
    title: 'A & B',
    extraHead: ['<meta name="referrer" content="no-referrer">'],
    stylesheet: '/s/app.css?v=1&x="2"',
    script: '/s/app.js?v=<3>',
    body: ['<div id="root"></div>', '<noscript>needs JavaScript</noscript>'],
  });

  it('links the bundle\'s stylesheet and deferred script, escaped, and nothing remote', () => {
    expect(page).toContain('<link rel="stylesheet" href="/s/app.css?v=1&amp;x=&quot;2&quot;">');
    expect(page).toContain('<script src="/s/app.js?v=&lt;3&gt;" defer></script>');
    expect(page).toContain('<title>A &amp; B</title>');
    expect(page).not.toMatch(/https?:\/\//);
    for (const m of page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      expect(m[1]).toMatch(/\bsrc="/);
      expect(m[2]).toBe('');
    }
  });

  it('puts extra head lines in <head> and body lines in <body>, one a line', () => {
    const [head, body] = page.split('</head>\n');
    expect(head).toContain('\n<meta name="robots" content="noindex">\n<meta name="referrer" content="no-referrer">\n<title>');
    expect(body).toBe('<body>\n<div id="root"></div>\n<noscript>needs JavaScript</noscript>\n</body>\n</html>\n');
    expect(page.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
  });

  it('escapeAttr escapes what could end an attribute or start a tag', () => {
    expect(escapeAttr('"/><script>a&b</script>')).toBe('&quot;/&gt;&lt;script&gt;a&amp;b&lt;/script&gt;');
  });
});
