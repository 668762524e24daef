/**
 * The console's language in React: the provider holding the locale (and setting `<html lang>`),
 * `useMessages(catalogue)` for a page's texts and the switch a user flips (remembered).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { translator, type Messages, type Translate } from './defineMessages.ts';
import { initialLocale, storeLocale, type Locale } from './locale.ts';

interface LocaleValue {
  readonly locale: Locale;
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleValue | null>(null);

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setState] = useState<Locale>(() => fixed ?? initialLocale());
  const setLocale = useCallback((next: Locale) => {
    storeLocale(next);
    setState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale() is used outside <I18nProvider>: render the console inside it (app.tsx)');
  return value;
}

/** The texts of a catalogue (./defineMessages.ts) in the current language. */
export function useMessages<K extends string>(messages: Messages<K>): Translate<K> {
  const { locale } = useLocale();
  return useMemo(() => translator(messages, locale), [messages, locale]);
}

/** 中文 | English: each label in its own language, so either reader finds it. */
/* eslint-disable govgraph/no-literal-ui-text -- the switch names each language in itself, whatever the current one */
export function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  return (
    <span className="language-switch" role="group" aria-label="语言 / Language" data-testid="language-switch">
      <button type="button" className={locale === 'zh-CN' ? 'link active' : 'link'} aria-pressed={locale === 'zh-CN'} lang="zh-CN" onClick={() => setLocale('zh-CN')} data-testid="language-zh-CN">中文</button>
      <span aria-hidden="true">|</span>
      <button type="button" className={locale === 'en' ? 'link active' : 'link'} aria-pressed={locale === 'en'} lang="en" onClick={() => setLocale('en')} data-testid="language-en">English</button>
    </span>
  );
}
/* eslint-enable govgraph/no-literal-ui-text */

/**
 * The texts of a catalogue in the language the console is in now, for code outside components
 * (validators called from event handlers): the user's choice, else the browser's languages —
 * the same the provider opened with and the switch stores.
 */
export function messagesNow<K extends string>(messages: Messages<K>): Translate<K> {
  return translator(messages, initialLocale());
}
