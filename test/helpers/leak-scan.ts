/**
 * Secret-leak scan for the whole suite (M51): every test app records each HTTP response
 * body and log line; every secret a test hands to the system is registered here. When a
 * test app closes, its captured output is searched for every registered secret (as typed,
 * trimmed, JSON-escaped as a response body or log line would carry it, URL-encoded, and in
 * base64 as AUTH would), and the test file fails on a hit.
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
