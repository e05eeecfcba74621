import { en } from './en.js';
import { type MessageKey, type Messages, vi } from './vi.js';

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const CATALOGS: Record<Locale, Messages> = { vi, en };
const STORAGE_KEY = 'xs.locale';
const listeners = new Set<() => void>();

function stored(): Locale {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return value === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

let current: Locale = stored();

export function locale(): Locale {
  return current;
}

export function setLocale(next: Locale): void {
  current = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Private browsing may refuse storage; the switch still applies to this page.
  }
  if (globalThis.document) document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(vi, key);
}

/** The message in the current language with {name} placeholders filled in. */
export function t(
  key: MessageKey,
  params: Record<string, string | number> = {},
  lang: Locale = current,
): string {
  const template = CATALOGS[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
