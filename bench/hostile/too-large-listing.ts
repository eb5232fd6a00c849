/**
 * An IMAP INBOX listing N new messages, each claiming 1 TiB: one collection poll against an
 * in-memory PGlite. Prints the records written in that poll, time and peak RSS.
 * Run: node --import tsx bench/hostile/too-large-listing.ts [N]
 */
import { createEmailAddressRepository } from '../../src/db/repositories/email-address.repository.js';
import { createInboundRepository } from '../../src/db/repositories/inbound.repository.js';
import { createWorkspaceRepository } from '../../src/db/repositories/workspace.repository.js';
import { collectImap } from '../../src/services/inbound/collect-imap.js';
import { DEFAULT_COLLECT_BUDGET } from '../../src/services/inbound/collect-pop3.js';
import { addressRow } from '../../test/helpers/address-row.js';
import { hugeListing } from '../../test/helpers/imap-huge-listing.js';
import { openPgliteLeg } from '../support/database-legs.js';

const n = Number(process.argv[2] ?? 100_000);
const leg = await openPgliteLeg();
const db = leg.database.db;
const ws = (await createWorkspaceRepository(db).insert({ name: 'Hostile' })) as { id: string };
const address = await createEmailAddressRepository(db).insert(
  addressRow({ workspaceId: ws.id, scope: 'company', email: 'in@hostile.example' }),
);
const inbound = createInboundRepository(db);
const rssBefore = process.resourceUsage().maxRSS;
const started = performance.now();
const r = await collectImap(
  hugeListing(n, []),
  { uidvalidity: '7', lastUid: 0, lastSuccessAt: new Date(), initializedAt: new Date(0) },
  {
    workspaceId: ws.id,
    addressId: address.id,
    firstSync: false,
    deleteAfterStore: false,
    deleteAfterDays: null,
  },
  { inbound, now: () => new Date(), checkpoint: async () => {} },
  { ...DEFAULT_COLLECT_BUDGET, deadline: Date.now() + 5 * 60_000 },
).catch((err: Error) => ({ error: err.message }));
const ms = performance.now() - started;
const rss = process.resourceUsage().maxRSS;
const what = 'error' in r ? `threw ${r.error}` : `recorded ${r.outcome.tooLarge}, more=${r.outcome.more}`;
console.log(
  `N=${n}: ${what}; ${ms.toFixed(0)} ms; peak RSS ${(rss / 1024).toFixed(0)} MB (+${((rss - rssBefore) / 1024).toFixed(0)} MB)`,
);
await leg.close();
