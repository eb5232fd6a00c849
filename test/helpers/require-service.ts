/**
 * Tests that need an outside service (Dovecot, Chromium, PostgreSQL) skip with a printed
 * reason when it is absent locally. In CI (`MAILROOM_REQUIRE_SERVICES=1`, set by .ci/run)
 * a missing service is a failure instead, so nothing skips silently there.
 */
export function serviceMissing(name: string, reason: string | null): boolean {
  if (reason === null) return false;
  if (process.env.MAILROOM_REQUIRE_SERVICES === '1') {
    throw new Error(`${name} is required in CI but unavailable: ${reason}`);
  }
  console.warn(`[skip] ${name} tests skipped: ${reason}`);
  return true;
}
