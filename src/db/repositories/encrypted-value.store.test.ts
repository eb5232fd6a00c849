import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/helpers/test-db.js';
import { generateKeyEntry, parseKeyring } from '../../security/keyring.js';
import { rotateSecrets } from '../../security/rotate-secrets.js';
import { createSecretBox } from '../../security/secret-box.js';
import type { DatabaseHandle } from '../database.js';
import { createEmailAddressRepository } from './email-address.repository.js';
import { createEncryptedValueStore } from './encrypted-value.store.js';
import { createWorkspaceRepository } from './workspace.repository.js';

let db: DatabaseHandle;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.close());

describe('key rotation over the real table (M52, SECURITY §7.16)', () => {
  it('moves every stored password to the new key, resumably, and the old key can then be removed', async () => {
    const oldEntry = generateKeyEntry('old1');
    const newEntry = generateKeyEntry('new1');
    const oldBox = createSecretBox(parseKeyring(oldEntry));
    const ws = await createWorkspaceRepository(db.db).insert({ name: 'Rotation' });
    const repo = createEmailAddressRepository(db.db);
    const secrets = new Map<string, string>();
    for (let i = 0; i < 25; i++) {
      const id = randomUUID();
      const secret = `pass ${i} żółć "x"`;
      secrets.set(id, secret);
      await repo.insert({
        id,
        workspaceId: ws.id,
        scope: 'company',
        email: `a${i}@firma.example`,
        login: `a${i}@firma.example`,
        passwordEnc: oldBox.encrypt(secret, { workspaceId: ws.id, rowId: id, field: 'password' }),
        smtpHost: 'smtp.firma.example',
        smtpPort: 465,
        smtpSecurity: 'tls',
        incomingHost: 'pop.firma.example',
        incomingPort: 995,
        incomingSecurity: 'tls',
      });
    }
    const both = createSecretBox(parseKeyring(`${newEntry},${oldEntry}`));
    const store = createEncryptedValueStore(db.db);
    const controller = new AbortController();
    const partial = await rotateSecrets({
      store,
      box: both,
      batchSize: 5,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rotated >= 10) controller.abort();
      },
    });
    expect(partial.aborted).toBe(true);
    const rest = await rotateSecrets({ store, box: both, batchSize: 5 });
    expect(partial.rotated + rest.rotated).toBe(25);
    expect((await rotateSecrets({ store, box: both })).rotated).toBe(0);

    const onlyNew = createSecretBox(parseKeyring(newEntry));
    for (const [id, secret] of secrets) {
      const row = (await repo.findById(ws.id, id))!;
      expect(row.passwordEnc!.startsWith('mc1:new1:')).toBe(true);
      expect(onlyNew.decrypt(row.passwordEnc!, { workspaceId: ws.id, rowId: id, field: 'password' })).toBe(
        secret,
      );
    }
  });

  it('a ciphertext copied to another row cannot be decrypted there (AAD binding, §7.14)', async () => {
    const box = createSecretBox(parseKeyring(generateKeyEntry('k1')));
    const ws = await createWorkspaceRepository(db.db).insert({ name: 'Copy' });
    const value = box.encrypt('victim secret', {
      workspaceId: ws.id,
      rowId: randomUUID(),
      field: 'password',
    });
    expect(() => box.decrypt(value, { workspaceId: ws.id, rowId: randomUUID(), field: 'password' })).toThrow(
      /SECRET_UNREADABLE|unreadable/i,
    );
  });
});
