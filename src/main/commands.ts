import type { AppConfig } from '../config/config.js';
import type { DbOrTx } from '../db/database.js';
import { openDatabase } from '../db/open-database.js';
import { createAuditRepository } from '../db/repositories/audit.repository.js';
import { createAuthRepository } from '../db/repositories/auth.repository.js';
import { createEmployeeRepository } from '../db/repositories/employee.repository.js';
import { createEncryptedValueStore } from '../db/repositories/encrypted-value.store.js';
import { createWorkspaceRepository } from '../db/repositories/workspace.repository.js';
import { isAppError } from '../domain/errors.js';
import { addKeyToFile, generateKeyEntry, KeyringError } from '../security/keyring.js';
import { loadKeyring } from '../security/load-keyring.js';
import { rotateSecrets } from '../security/rotate-secrets.js';
import { createSecretBox } from '../security/secret-box.js';
import { createAuditRecorder } from '../services/audit/audit-recorder.js';
import { createWorkspaceWithAdmin } from '../services/auth/bootstrap.js';
import { resetPassword } from '../services/auth/reset-password.js';
import { framedBlock } from './framed-block.js';

export async function migrateOnly(config: AppConfig) {
  const started = performance.now();
  const db = await openDatabase(config.database);
  await db.close();
  console.log(`Database is up to date (${db.kind}, ${Math.round(performance.now() - started)} ms).`);
}

export function keysGenerate() {
  console.log(generateKeyEntry());
}

export async function adminCreate(
  config: AppConfig,
  input: {
    email: string;
    name?: string | undefined;
    workspace?: string | undefined;
    password?: string | undefined;
  },
) {
  await loadKeyring(config); // refuse without a readable key, like serve
  const handle = await openDatabase(config.database);
  try {
    const r = await createWorkspaceWithAdmin(
      {
        workspaces: createWorkspaceRepository(handle.db),
        employees: createEmployeeRepository(handle.db),
        transaction: (fn) => handle.db.transaction((tx) => fn(tx as DbOrTx)),
      },
      {
        workspaceName: input.workspace ?? config.bootstrap.workspaceName,
        adminEmail: input.email,
        employeesManageOwnAddresses: config.workspaceDefaults.employeesManageOwnAddresses,
        ...(input.name ? { adminName: input.name } : {}),
        ...(input.password ? { password: input.password } : {}),
      },
    );
    console.log(`Created workspace "${r.workspace.name}" with administrator ${r.admin.email}.`);
    if (!input.password) console.log(`  password: ${r.password}\nThis password is shown only once.`);
  } finally {
    await handle.close();
  }
}

/** `mailroom admin reset-password --email E`: a new password, printed once; sessions and API tokens end. */
export async function adminResetPassword(config: AppConfig, email: string) {
  const handle = await openDatabase(config.database);
  try {
    const r = await resetPassword(
      {
        employees: createEmployeeRepository(handle.db),
        auth: createAuthRepository(handle.db),
        audit: createAuditRecorder({ audit: createAuditRepository(handle.db) }),
        transaction: (fn) => handle.db.transaction((tx) => fn(tx as DbOrTx)),
      },
      email,
    );
    console.log(
      framedBlock([
        `New password for ${r.employee.email} (${r.employee.name}):`,
        '',
        `  email:    ${r.employee.email}`,
        `  password: ${r.password}`,
        '',
        'This password is shown only once. Every session and API token of this person was ended.',
      ]),
    );
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') {
      console.error(`mailroom: no account has the email ${email}.`);
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Re-encrypts stored secrets onto the active key; resumable and idempotent (M52). With
 * --new-key, first adds a fresh active key to the key file (env-configured keys are edited
 * by the operator instead).
 */
export async function rotateKey(config: AppConfig, opts: { newKey: boolean }) {
  if (opts.newKey) {
    if (config.keys.source.kind !== 'file') {
      throw new KeyringError(
        '--new-key works with a key file; with MAILROOM_SECRET_KEY put the new entry first yourself.',
      );
    }
    const { kid } = await addKeyToFile(config.keys.source.path);
    console.log(
      `Added key "${kid}" as the active key in ${config.keys.source.path}. Restart running processes so they can read it.`,
    );
  }
  const { keyring } = await loadKeyring(config);
  const handle = await openDatabase(config.database);
  try {
    const result = await rotateSecrets({
      store: createEncryptedValueStore(handle.db),
      box: createSecretBox(keyring),
      onProgress: (p) => console.log(`  rotated ${p.rotated}, skipped ${p.skipped}, failed ${p.failed}`),
    });
    console.log(
      `Key rotation finished: ${result.rotated} re-encrypted, ${result.skipped} skipped, ${result.failed} unreadable (active key "${keyring.activeKeyId}").`,
    );
    for (const f of result.failures) console.log(`  unreadable: ${f.field} of ${f.id} (${f.reason})`);
    if (result.failed > 0) process.exitCode = 2;
  } finally {
    await handle.close();
  }
}
