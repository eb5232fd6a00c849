import { randomUUID } from 'node:crypto';
import { createEmailAddressRepository } from '../../src/db/repositories/email-address.repository.js';
import { createInboundRepository } from '../../src/db/repositories/inbound.repository.js';
import type { CollectTarget } from '../../src/services/inbound/collect-pop3.js';
import { addressRow } from './address-row.js';
import type { TestApp } from './test-app.js';

/** A new workspace's company address to collect into (no deleting), and the real repository. */
export async function newCollectTarget(t: TestApp) {
  const ws = await t.newWorkspace();
  const address = await createEmailAddressRepository(t.ctx.db).insert(
    addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: `in-${randomUUID()}@example.com` }),
  );
  const target: CollectTarget = {
    workspaceId: ws.workspaceId,
    addressId: address.id,
    firstSync: false,
    deleteAfterStore: false,
    deleteAfterDays: null,
  };
  return { inbound: createInboundRepository(t.ctx.db), target };
}
