// The safety check every locally bundled browser app passes before its build is put in place.
// The gateway's pages may load nothing from elsewhere (no CDN, no web fonts): government networks
// have no internet, so a remote URL is a page that hangs or breaks there. A bundle that would make
// the browser fetch one fails the build instead of shipping.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A URL the browser would fetch: in a CSS url(), an @import, or a known CDN or font host. */
export const REMOTE_URL_PATTERNS: readonly RegExp[] = [
  /url\(\s*['"]?(https?:)?\/\/[^)'"]*/gi, // CSS url(http://…) or protocol-relative url(//…)
  /@import\s+(url\()?\s*['"]?(https?:)?\/\//gi, // CSS @import of a remote sheet
  /\b(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|esm\.sh|cdn\.skypack\.dev)\b/gi,
];

export interface RemoteResourceCheck {
  /** Names the bundle in the error, e.g. 'GraphiQL' gives "GraphiQL bundle references remote resources". */
  name: string;
  /** Patterns this bundle also refuses, beyond REMOTE_URL_PATTERNS. */
  extraPatterns?: readonly RegExp[];
}

/**
 * Scans the .js and .css files directly in distDir; throws, listing every match, when something
 * looks like a remote resource the page would load. Other files are not part of a page and are skipped.
 */
export async function checkNoRemoteResources(distDir: string, check: RemoteResourceCheck): Promise<void> {
  const patterns = [...REMOTE_URL_PATTERNS, ...(check.extraPatterns ?? [])];
  // matchAll throws on a non-global pattern, and only after the build has run; say so up front.
  const local = patterns.find((re) => !re.global);
  if (local) throw new TypeError(`${check.name} bundle: remote-resource pattern ${String(local)} needs the g flag to find every match`);
  const problems: string[] = [];
  for (const f of await readdir(distDir)) {
    if (!/\.(js|css)$/.test(f)) continue;
    const text = await readFile(join(distDir, f), 'utf8');
    for (const re of patterns) {
      for (const m of text.matchAll(re)) problems.push(`${f}: ${m[0].slice(0, 120)}`);
    }
  }
  if (problems.length) {
    throw new Error(`${check.name} bundle references remote resources:\n  ${problems.join('\n  ')}`);
  }
}
