import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/helpers/test-db.js';
import type { DatabaseHandle } from '../database.js';
import { emailAddresses } from '../schema/index.js';
import { createSandboxAddressRepository } from './sandbox-address.repository.js';
import { createWorkspaceRepository } from './workspace.repository.js';

let db: DatabaseHandle;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.close());

describe('sandbox addresses follow the sandbox ports (issue 12 item 1)', () => {
  it('re-points moved addresses, leaves the rest, and reports nothing when no port moved', async () => {
    const ws = await createWorkspaceRepository(db.db).insert({ name: 'Sandbox ports' });
    const row = (email: string, presetId: string, incomingProtocol: 'pop3' | 'imap') => ({
      workspaceId: ws.id,
      scope: 'company' as const,
      email,
      login: email,
      presetId,
      smtpHost: '127.0.0.1',
      smtpPort: 1025,
      smtpSecurity: 'none' as const,
      incomingProtocol,
      incomingHost: '127.0.0.1',
      incomingPort: incomingProtocol === 'imap' ? 1143 : 1110,
      incomingSecurity: 'none' as const,
    });
    await db.db
      .insert(emailAddresses)
      .values([
        row('pop@firma-demo.test', 'sandbox', 'pop3'),
        row('imap@firma-demo.test', 'sandbox', 'imap'),
        row('other@firma.example', 'custom', 'pop3'),
      ]);
    const repo = createSandboxAddressRepository(db.db, 'sandbox');
    const ports = { smtp: 2025, pop3: 2110, imap: 2143 };

    expect(await repo.followPorts(ports)).toBe(2);
    const rows = await db.db
      .select({ email: emailAddresses.email, smtp: emailAddresses.smtpPort, in: emailAddresses.incomingPort })
      .from(emailAddresses)
      .orderBy(emailAddresses.email);
    expect(rows).toEqual([
      { email: 'imap@firma-demo.test', smtp: 2025, in: 2143 },
      { email: 'other@firma.example', smtp: 1025, in: 1110 },
      { email: 'pop@firma-demo.test', smtp: 2025, in: 2110 },
    ]);
    // The usual restart: the sandbox got the same ports back.
    expect(await repo.followPorts(ports)).toBe(0);
    // Only the IMAP port moved: only the IMAP address follows.
    expect(await repo.followPorts({ ...ports, imap: 3143 })).toBe(1);
  });
});
