/**
 * The console's language: Chinese (zh-CN) first, English one click away.
 *
 * A browser asking for `zh*` gets zh-CN, `en*` gets English, anything else zh-CN (the platform
 * serves Chinese government departments). A choice the user makes with the switch is
 * remembered in localStorage — a language is not a secret, and it should survive the tab —
 * and wins over what the browser asks for.
 */

export type Locale = 'zh-CN' | 'en';

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** @default zh-CN: the product speaks Chinese first. */
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const STORAGE_KEY = 'govgraph.console.locale';

/** The supported locale a language tag asks for, or null (`zh-TW` → zh-CN, `en-GB` → en, `fr` → null). */
function localeOfTag(tag: string): Locale | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'en') return 'en';
  return null;
}

/**
 * Picks the locale from an `Accept-Language` header (`en-US,en;q=0.9,zh;q=0.8`) or a list of
 * tags (`navigator.languages`): the supported one the user prefers most, else zh-CN.
 */
export function negotiateLocale(accepted: string | readonly string[] | null | undefined): Locale {
  if (!accepted) return DEFAULT_LOCALE;
  const tags = typeof accepted === 'string'
    ? accepted.split(',').map((part, i) => {
      const [tag = '', ...rest] = part.split(';');
      const q = rest.map((r) => /^\s*q=([\d.]+)\s*$/.exec(r)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), i };
    }).filter((t) => t.q > 0 && Number.isFinite(t.q)).sort((a, b) => b.q - a.q || a.i - b.i).map((t) => t.tag)
    : accepted;
  for (const tag of tags) {
    const locale = localeOfTag(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The locale the user chose with the switch, if any. */
export function storedLocale(): Locale | null {
  const value = storage()?.getItem(STORAGE_KEY);
  return LOCALES.find((l) => l === value) ?? null;
}

export function storeLocale(locale: Locale): void {
  storage()?.setItem(STORAGE_KEY, locale);
}

/** The locale the console opens in: the user's choice, else the browser's languages. */
export function initialLocale(): Locale {
  return storedLocale() ?? negotiateLocale(typeof navigator === 'undefined' ? null : navigator.languages);
}
