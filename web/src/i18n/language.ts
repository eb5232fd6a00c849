import type { Language } from '../shared/api/types';

const STORAGE_KEY = 'mailroom.language';

export const LANGUAGES: readonly Language[] = ['pl', 'en'];

export const isLanguage = (value: unknown): value is Language => value === 'pl' || value === 'en';

/** The language the user picked explicitly on this device, if any. */
export function storedLanguage(): Language | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    // Storage can be disabled (private mode, policy): behave as if nothing was stored.
    return null;
  }
}

export function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not persisting is acceptable; the session still carries the choice when logged in.
  }
}

/** Polish for browsers that prefer Polish, English otherwise. */
export function browserLanguage(): Language {
  const preferred = navigator.languages?.[0] ?? navigator.language ?? '';
  return preferred.toLowerCase().startsWith('pl') ? 'pl' : 'en';
}

export const initialLanguage = (): Language => storedLanguage() ?? browserLanguage();
