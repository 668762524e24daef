// The HTML page a locally bundled browser app is served in: one stylesheet and one deferred
// script, both from the bundle, and nothing else fetched. The app's CSP (sent by the router)
// forbids inline script, so anything the app needs from the server goes in a non-executed
// block in `body` (GraphiQL's `application/json` config) or comes from its API.

import { escapeAttr } from './escapeAttr.ts';

export interface BundlePageOptions {
  /** The page's language, `<html lang>`. @default en */
  lang?: string;
  /** Text of <title>. */
  title: string;
  /** Further <head> lines after the robots meta, already HTML, e.g. a referrer policy. */
  extraHead?: readonly string[];
  /** URL of the stylesheet, e.g. from BundleAssets.assetUrl(). */
  stylesheet: string;
  /** URL of the script, loaded with defer. */
  script: string;
  /** The <body> lines, already HTML (escape any value put in them with escapeAttr). */
  body: readonly string[];
}

export function bundlePage(options: BundlePageOptions): string {
  const lines = [
    '<!doctype html>',
    `<html lang="${escapeAttr(options.lang ?? 'en')}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // The apps are tools behind tokens, not content for search engines.
    '<meta name="robots" content="noindex">',
    ...(options.extraHead ?? []),
    `<title>${escapeAttr(options.title)}</title>`,
    // An empty icon, so the browser does not request /favicon.ico.
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${escapeAttr(options.stylesheet)}">`,
    `<script src="${escapeAttr(options.script)}" defer></script>`,
    '</head>',
    '<body>',
    ...options.body,
    '</body>',
    '</html>',
  ];
  return `${lines.join('\n')}\n`;
}
