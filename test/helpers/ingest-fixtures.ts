import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../src/context.js';
import { createEmailAddressRepository } from '../../src/db/repositories/email-address.repository.js';
import { inboundMessages } from '../../src/db/schema/index.js';
import { addressRow } from './address-row.js';

export const POP_USER = 'box@firma.example';
export const POP_PASS = 'pop pass 123';

/** A plain-text message with a unique Message-ID. */
export function mail(n: number | string, extra = ''): Buffer {
  return Buffer.from(
    `From: Klient <klient@example.org>\r\nTo: ${POP_USER}\r\nSubject: Odp ${n}\r\nMessage-ID: <m${n}.${randomUUID()}@example.org>\r\n${extra}\r\nTreść ${n}\r\n`,
    'utf8',
  );
}

/** Inserts a collecting POP3 address pointing at a loopback server (plain, loopback allowed). */
export async function pop3Address(
  ctx: AppContext,
  workspaceId: string,
  port: number,
  extra: Record<string, unknown> = {},
) {
  const repo = createEmailAddressRepository(ctx.db);
  const row = await repo.insert(
    addressRow({
      workspaceId,
      scope: 'company',
      email: `box-${randomUUID().slice(0, 8)}@firma.example`,
      login: POP_USER,
      incomingHost: '127.0.0.1',
      incomingPort: port,
      incomingSecurity: 'none',
      ...extra,
    }),
  );
  await repo.update(workspaceId, row.id, {
    passwordEnc: ctx.secretBox.encrypt(POP_PASS, { workspaceId, rowId: row.id, field: 'password' }),
  });
  return row.id;
}

export async function storedRows(ctx: AppContext, addressId: string) {
  return ctx.db
    .select({
      id: inboundMessages.id,
      remoteUid: inboundMessages.remoteUid,
      raw: inboundMessages.raw,
      status: inboundMessages.status,
      kind: inboundMessages.kind,
      size: inboundMessages.size,
      messageIdHeader: inboundMessages.messageIdHeader,
    })
    .from(inboundMessages)
    .where(sql`${inboundMessages.addressId} = ${addressId}`)
    .orderBy(inboundMessages.createdAt);
}

/** One poll of one address, as the worker would run it (creates its sync state first). */
export async function pollOnce(ctx: AppContext, workspaceId: string, addressId: string) {
  await ctx.ingest.sync.ensureStates();
  const polled = await ctx.ingest.poller.pollNow(workspaceId, addressId, new AbortController().signal);
  if (!polled) throw new Error('address is held by another poller');
}

/** Stops collecting from an address (so later passes of the same file leave it alone). */
export async function retire(ctx: AppContext, addressId: string) {
  await ctx.db.execute(sql`UPDATE email_addresses SET collect_replies = false WHERE id = ${addressId}`);
}
