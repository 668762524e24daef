/**
 * The console's message catalogues: every text a user reads, in Chinese (zh-CN, the default)
 * and English.
 *
 * How to add texts (a page of your own, say `pages/members.tsx`):
 *
 *   import { defineMessages } from '../i18n/defineMessages.ts';
 *   import { useMessages } from '../i18n/I18nProvider.tsx';
 *
 *   const M = defineMessages('members', {
 *     title: '人员管理',
 *     count: '共 {n} 人',
 *   }, {
 *     title: 'People',
 *     count: '{n} people',
 *   });
 *
 *   export function MembersPage() {
 *     const t = useMessages(M);
 *     return <PageHeader title={t('title')}>{t('count', { n: 3 })}</PageHeader>;
 *   }
 *
 * - Chinese comes first and fixes the keys; the English object must have exactly the same keys
 *   (the compiler refuses a missing or extra one) and web/console/i18n/catalogues.test.ts checks
 *   both again at run time, with their `{placeholders}`, and that every `t('key')` a file uses
 *   is in a catalogue that file defines or in the shared one (./common.ts).
 * - `t(key, params)` gives a string; `t.rich(key, { name: <strong>…</strong> })` puts React
 *   nodes into the placeholders (links, emphasis) and gives a node.
 * - Shared texts (navigation, buttons, enum names — sharing classes, statuses, purposes,
 *   notification kinds) are in ./common.ts; use `useMessages(COMMON)` or the helpers of
 *   ./enumLabels.tsx rather than repeating them.
 * - Codes the API speaks (CONDITIONAL, APPROVED, FORBIDDEN, field coordinates) stay visible
 *   where a user needs them (a tooltip or small text beside the Chinese name): people quote
 *   them to each other and to the API.
 * - A key missing at run time (only possible when types are bypassed) renders as `⟦key⟧` and
 *   logs a console error, which the browser tests treat as a failure.
 */
import { Fragment, createElement, type ReactNode } from 'react';
import type { Locale } from './locale.ts';

export type Params = Readonly<Record<string, string | number>>;

export interface Messages<K extends string = string> {
  /** Unique name of the catalogue, e.g. the page's file name. */
  readonly name: string;
  readonly 'zh-CN': Readonly<Record<K, string>>;
  readonly en: Readonly<Record<K, string>>;
}

const registry = new Map<string, Messages>();

/** Defines (and registers, for the catalogue test) a catalogue; see the module comment. */
export function defineMessages<const Z extends Readonly<Record<string, string>>>(
  name: string,
  zh: Z,
  en: { readonly [K in keyof Z]: string },
): Messages<keyof Z & string> {
  if (registry.has(name)) throw new Error(`two message catalogues are named "${name}": give each page's catalogue its own name`);
  const messages: Messages<keyof Z & string> = Object.freeze({ name, 'zh-CN': Object.freeze({ ...zh }), en: Object.freeze({ ...en }) as Readonly<Record<keyof Z & string, string>> });
  registry.set(name, messages as Messages);
  return messages;
}

/** Every catalogue defined so far (by the modules imported so far). */
export function registeredCatalogues(): readonly Messages[] {
  return [...registry.values()];
}

/** `{name}` placeholders of a template, sorted (for the catalogue test). */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** Fills `{name}` placeholders; a placeholder without a value stays as written. */
export function interpolate(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

export interface Translate<K extends string> {
  (key: K, params?: Params): string;
  /** The text with React nodes in its placeholders. */
  rich(key: K, params: Readonly<Record<string, ReactNode>>): ReactNode;
  readonly locale: Locale;
}

function lookup<K extends string>(messages: Messages<K>, locale: Locale, key: K): string {
  const text = messages[locale][key];
  if (typeof text === 'string') return text;
  console.error(`missing translation: ${messages.name}.${key} (${locale})`);
  return `⟦${key}⟧`;
}

export function translator<K extends string>(messages: Messages<K>, locale: Locale): Translate<K> {
  const t = ((key: K, params?: Params) => interpolate(lookup(messages, locale, key), params)) as Translate<K>;
  t.rich = (key, params) => {
    const parts = lookup(messages, locale, key).split(/(\{\w+\})/);
    return createElement(Fragment, null, ...parts.map((part, i) => {
      const m = /^\{(\w+)\}$/.exec(part);
      return createElement(Fragment, { key: i }, m && m[1]! in params ? params[m[1]!] : part);
    }));
  };
  Object.defineProperty(t, 'locale', { value: locale });
  return t;
}
