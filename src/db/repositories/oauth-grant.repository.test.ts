import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/helpers/test-db.js';
import { generateKeyEntry, parseKeyring } from '../../security/keyring.js';
import { rotateSecrets } from '../../security/rotate-secrets.js';
import { createSecretBox } from '../../security/secret-box.js';
import type { DatabaseHandle } from '../database.js';
import { createEmployeeRepository } from './employee.repository.js';
import { createEncryptedValueStore, ENCRYPTED_FIELDS } from './encrypted-value.store.js';
import { createOAuthGrantRepository } from './oauth-grant.repository.js';
import { createWorkspaceRepository } from './workspace.repository.js';

let db: DatabaseHandle;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.close());

describe('OAuth secrets and key rotation (M47, M52)', () => {
  it('lists every OAuth secret column for rotation', () => {
    expect(ENCRYPTED_FIELDS).toEqual(
      expect.arrayContaining(['oauth_access_token', 'oauth_refresh_token', 'oauth_code_verifier']),
    );
    // The cursor walks fields in this order.
    expect([...ENCRYPTED_FIELDS].sort()).toEqual(ENCRYPTED_FIELDS);
  });

  it('moves refresh tokens, access tokens and PKCE verifiers to the new key', async () => {
    const oldEntry = generateKeyEntry('old1');
    const newEntry = generateKeyEntry('new1');
    const oldBox = createSecretBox(parseKeyring(oldEntry));
    const ws = await createWorkspaceRepository(db.db).insert({ name: 'OAuth rotation' });
    const employee = await createEmployeeRepository(db.db).insert({
      workspaceId: ws.id,
      name: 'Anna',
      email: `anna.${randomUUID()}@firma.example`,
      role: 'admin',
    });
    const repo = createOAuthGrantRepository(db.db);
    const grants: { id: string; refresh: string; access: string }[] = [];
    for (let i = 0; i < 7; i++) {
      const id = randomUUID();
      const c = (field: string) => ({ workspaceId: ws.id, rowId: id, field });
      const g = { id, refresh: `rt-${i}-${randomUUID()}`, access: `at-${i}-${randomUUID()}` };
      grants.push(g);
      await repo.insertGrant({
        id,
        workspaceId: ws.id,
        provider: 'google',
        subject: `s${i}`,
        email: `a${i}@gmail.test`,
        refreshTokenEnc: oldBox.encrypt(g.refresh, c('oauth_refresh_token')),
        accessTokenEnc: oldBox.encrypt(g.access, c('oauth_access_token')),
        accessExpiresAt: new Date(Date.now() + 3600_000),
      });
    }
    const flowId = randomUUID();
    await repo.insertFlow({
      id: flowId,
      workspaceId: ws.id,
      employeeId: employee.id,
      provider: 'microsoft',
      stateHash: randomUUID(),
      codeVerifierEnc: oldBox.encrypt('verifier', {
        workspaceId: ws.id,
        rowId: flowId,
        field: 'oauth_code_verifier',
      }),
      nonce: 'n',
      returnPath: '/',
      expiresAt: new Date(Date.now() + 600_000),
    });

    const both = createSecretBox(parseKeyring(`${newEntry},${oldEntry}`));
    const store = createEncryptedValueStore(db.db);
    const result = await rotateSecrets({ store, box: both, batchSize: 4 });
    expect(result.failed).toBe(0);
    expect(result.rotated).toBeGreaterThanOrEqual(15);
    expect((await rotateSecrets({ store, box: both })).rotated).toBe(0);

    const onlyNew = createSecretBox(parseKeyring(newEntry));
    for (const g of grants) {
      const row = (await repo.findGrant(ws.id, g.id))!;
      const c = (field: string) => ({ workspaceId: ws.id, rowId: g.id, field });
      expect(onlyNew.decrypt(row.refreshTokenEnc, c('oauth_refresh_token'))).toBe(g.refresh);
      expect(onlyNew.decrypt(row.accessTokenEnc!, c('oauth_access_token'))).toBe(g.access);
    }
  });
});
