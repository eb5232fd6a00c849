import { listPresets } from './detect.js';
import type { OAuthProvider } from './preset.types.js';

/**
 * The mail servers an OAuth provider's access tokens are meant for: every host of the presets
 * that connect with that provider, variants included (Gmail: smtp/pop/imap.gmail.com). An
 * address connected with the provider may point only there, so a token is never offered to a
 * host the caller typed (decision 0004, "Tokens follow the provider's hosts").
 */
export function oauthMailHosts(provider: OAuthProvider): string[] {
  const hosts = new Set<string>();
  for (const p of listPresets()) {
    if (p.auth.oauth !== provider) continue;
    const endpoints = [
      p.smtp,
      p.pop3,
      p.imap,
      ...(p.variants ?? []).flatMap((v) => [v.smtp, v.pop3, v.imap]),
    ];
    for (const e of endpoints.flat()) if (e) hosts.add(e.host.toLowerCase());
  }
  return [...hosts].sort();
}
