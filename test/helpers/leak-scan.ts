/**
 * Secret-leak scan for the whole suite (M51): every test app records each HTTP response
 * body and log line; every secret a test hands to the system is registered here. When a
 * test app closes, its captured output is searched for every registered secret (as typed,
 * trimmed, JSON-escaped as a response body or log line would carry it, URL-encoded, and in
 * base64 as AUTH would), and the test file fails on a hit.
 *
 * Registration is automatic for what reaches the app: every request body field named like
 * a secret (`registerSecretsIn`), secret-like env values and the key; tests register the
 * rest (secrets handed straight to a mail server or a service).
 */
const secrets = new Set<string>();

export function registerSecret(secret: string): string {
  if (secret.trim().length >= 6) secrets.add(secret);
  return secret;
}

export function findLeaks(output: string): string[] {
  const leaks: string[] = [];
  for (const s of secrets) {
    const forms = new Set([
      s,
      s.trim(),
      JSON.stringify(s).slice(1, -1),
      JSON.stringify(s.trim()).slice(1, -1),
      encodeURIComponent(s),
      Buffer.from(s).toString('base64'),
    ]);
    for (const form of forms) {
      if (form.length >= 6 && output.includes(form))
        leaks.push(`${s.slice(0, 3)}… (${form === s ? 'plain' : 'encoded'})`);
    }
  }
  return leaks;
}

/** Body keys whose string values are secrets (a test token is not: it is handed out by design). */
const SECRET_KEY =
  /^(password|pass|currentPassword|newPassword|secret|clientSecret|accessToken|refreshToken|apiToken)$/i;

/** Registers every string under a secret-named key, at any depth of a request body or config. */
export function registerSecretsIn(value: unknown, depth = 0): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && SECRET_KEY.test(key)) registerSecret(v);
    else registerSecretsIn(v, depth + 1);
  }
}

/** Env entries that hold secrets (`MAILROOM_SECRET_KEY`, `..._CLIENT_SECRET`, passwords). */
export function registerEnvSecrets(env: Record<string, string>): void {
  for (const [key, v] of Object.entries(env))
    if (/secret|password|_key$/i.test(key)) registerSecret(v.includes(':') ? (v.split(':').pop() ?? v) : v);
}
