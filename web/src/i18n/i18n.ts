import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import enDelivery from './en-delivery.json';
import enInbound from './en-inbound.json';
import enIngest from './en-ingest.json';
import { initialLanguage } from './language';
import pl from './pl.json';
import plDelivery from './pl-delivery.json';
import plInbound from './pl-inbound.json';
import plIngest from './pl-ingest.json';

// Both resource files must carry exactly the same keys: each assignment fails to compile
// when the other file lacks a key.
const plResources: typeof en = pl;
const enResources: typeof pl = en;
// Areas with their own files (fewer merge conflicts), mounted under their key; same rule.
const plDeliveryResources: typeof enDelivery = plDelivery;
const enDeliveryResources: typeof plDelivery = enDelivery;
const plIngestResources: typeof enIngest = plIngest;
const enIngestResources: typeof plIngest = enIngest;
const plInboundResources: typeof enInbound = plInbound;
const enInboundResources: typeof plInbound = enInbound;
type Translation = typeof en & {
  delivery: typeof enDelivery;
  ingest: typeof enIngest;
  inbound: typeof enInbound;
};

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Translation };
  }
}

/** The UI's i18next instance (resources are bundled, so it is ready synchronously). */
export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: {
    en: {
      translation: {
        ...enResources,
        delivery: enDeliveryResources,
        ingest: enIngestResources,
        inbound: enInboundResources,
      },
    },
    pl: {
      translation: {
        ...plResources,
        delivery: plDeliveryResources,
        ingest: plIngestResources,
        inbound: plInboundResources,
      },
    },
  },
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
