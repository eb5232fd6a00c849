import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import { initialLanguage } from './language';
import pl from './pl.json';

// Both resource files must carry exactly the same keys: each assignment fails to compile
// when the other file lacks a key.
const plResources: typeof en = pl;
const enResources: typeof pl = en;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

/** The UI's i18next instance (resources are bundled, so it is ready synchronously). */
export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { en: { translation: enResources }, pl: { translation: plResources } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: ['pl', 'en'],
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

const syncDocumentLanguage = (language: string) => {
  document.documentElement.lang = language;
};
syncDocumentLanguage(i18n.language);
i18n.on('languageChanged', syncDocumentLanguage);
