import type { CatalogueEntry } from './catalogue-entry.js';
import { ACCOUNT_ENTRIES } from './entries-account.js';
import { CONNECTION_ENTRIES } from './entries-connection.js';
import { ENCRYPTION_ENTRIES } from './entries-encryption.js';
import { RECEIVING_ENTRIES } from './entries-receiving.js';
import { RECIPIENT_ENTRIES } from './entries-recipient.js';
import { SENDING_ENTRIES } from './entries-sending.js';
import { SERVER_ENTRIES } from './entries-server.js';
import { SIGN_IN_ENTRIES } from './entries-sign-in.js';

/** Every catalogue entry, grouped by area in the order the Common causes page shows them (M44). */
export const CATALOGUE: readonly CatalogueEntry[] = Object.freeze([
  ...SIGN_IN_ENTRIES,
  ...ACCOUNT_ENTRIES,
  ...SENDING_ENTRIES,
  ...RECIPIENT_ENTRIES,
  ...CONNECTION_ENTRIES,
  ...ENCRYPTION_ENTRIES,
  ...RECEIVING_ENTRIES,
  ...SERVER_ENTRIES,
]);

const BY_ID: ReadonlyMap<string, CatalogueEntry> = new Map(CATALOGUE.map((e) => [e.id, e]));

/** The entry with this id, or undefined (ids come from stored failures and URLs). */
export function getEntry(id: string): CatalogueEntry | undefined {
  return BY_ID.get(id);
}

/** Internal: the entry a rule names. Rules are checked by tests, so a miss is a programming error. */
export function requireEntry(id: string): CatalogueEntry {
  const entry = BY_ID.get(id);
  if (!entry) throw new Error(`Error catalogue has no entry '${id}'`);
  return entry;
}
