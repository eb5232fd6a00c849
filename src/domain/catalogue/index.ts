export { CATALOGUE, getEntry } from './catalogue.js';
export type {
  BackoffHint,
  CatalogueArea,
  CatalogueEntry,
  CatalogueSource,
  Classification,
  Confidence,
  Localized,
  Provider,
  Severity,
} from './catalogue-entry.js';
export { type ClassifyHints, classify, classifyReply } from './classify.js';
export { detectProvider, providerOfPreset } from './provider.js';
