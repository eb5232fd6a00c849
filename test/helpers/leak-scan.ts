/**
 * Secret-leak scan for the whole suite (M51): every test app records each HTTP response
 * body and log line; every secret a test hands to the system is registered here. When a
 * test app closes, its captured output is searched for every registered secret (and its
 * base64 form, as AUTH would carry it), and the test file fails on a hit.
 */
const secrets = new Set<string>();

export function registerSecret(secret: string): string {
  if (secret.trim().length >= 6) secrets.add(secret);
  return secret;
}

export function findLeaks(output: string): string[] {
  const leaks: string[] = [];
  for (const s of secrets) {
    for (const form of [s, s.trim(), Buffer.from(s).toString('base64')]) {
      if (form.length >= 6 && output.includes(form))
        leaks.push(`${s.slice(0, 3)}… (${form === s ? 'plain' : 'encoded'})`);
    }
  }
  return leaks;
}
