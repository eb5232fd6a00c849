import { afterEach, describe, expect, it } from 'vitest';
import { testCaPem } from '../../../test/helpers/tls-fixtures.js';
import { imapSettings } from '../../../test/servers/imap-hostile-listing.js';
import { fakeImap } from '../../../test/servers/imap-script-server.js';
import { createLoopbackResolver } from '../../../test/servers/loopback-resolver.js';
import { type RawSmtpServer, startRawSmtpServer } from '../../../test/servers/smtp-raw-server.js';
import { createImapSentCopier } from './sent-copy.js';

const servers: RawSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function copyWithList(answer: string) {
  const s = await startRawSmtpServer(
    fakeImap({
      extra: async (tag, command, _args, conn) => {
        if (command !== 'LIST') return false;
        conn.write(`${answer}\r\n${tag} OK done\r\n`);
        return true;
      },
    }),
  );
  servers.push(s);
  const copier = createImapSentCopier({
    resolver: createLoopbackResolver(),
    trustedCa: [testCaPem()],
    target: async () => ({ kind: 'imap', settings: imapSettings(s.port) }),
  });
  return copier.append('w', 'a', Buffer.from('Subject: x\r\n\r\nhi\r\n'), new AbortController().signal);
}

const refusedAsLimit = {
  status: 'failed',
  detail: { reason: 'imap', step: 'list', failure: { kind: 'limit' } },
};

describe('Copy in Sent against a hostile server', () => {
  it('one LIST response of 30,000 atoms is refused as a limit, not parsed into a tree', async () => {
    // ~60 kB on the wire: under imapflow's default of 1 M parse-tree nodes, which let one 2 MB
    // response cost +236 MB; the same cap as the probe and collection (20,000 nodes). Lines of
    // 20 kB joined by empty literals, so no line passes the 64 KiB line cap.
    const atoms = `${'a '.repeat(10_000)}{0}\r\n`.repeat(3);
    expect(await copyWithList(`* LIST (\\Sent) "/" Sent (${atoms})`)).toMatchObject(refusedAsLimit);
  });

  it('a LIST line over 64 KiB is named a limit, not a closed connection', async () => {
    expect(await copyWithList(`* LIST (${'\\X '.repeat(30_000)}\\Sent) "/" Sent`)).toMatchObject(
      refusedAsLimit,
    );
  });
});
