import type { AppConfig } from '../config/config.js';
import { type Keyring, loadOrCreateKeyFile, parseKeyring } from './keyring.js';

/**
 * Loads the keyring from the env value or the key file (created on first embedded start).
 * A module of its own so `serve` can read the key and start opening the database before the
 * rest of the code loads (decision 0012).
 */
export async function loadKeyring(
  config: AppConfig,
): Promise<{ keyring: Keyring; created: boolean; path: string | null }> {
  const src = config.keys.source;
  if (src.kind === 'env')
    return {
      keyring: parseKeyring(src.spec, config.keys.activeKeyId ?? undefined),
      created: false,
      path: null,
    };
  const r = await loadOrCreateKeyFile(src.path, {
    create: src.createIfMissing,
    ...(config.keys.activeKeyId ? { activeKeyId: config.keys.activeKeyId } : {}),
  });
  return { ...r, path: src.path };
}
