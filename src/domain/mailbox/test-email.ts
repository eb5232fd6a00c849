/**
 * "Send a test email" (M23): after saving, the address sends a message to itself and we
 * watch its incoming server until it arrives. Optional and never a gate for saving.
 */
export type TestEmailStatus = 'sending' | 'waiting' | 'arrived' | 'failed' | 'not_arrived';

/** What the API reports: a row whose process died before finishing reads as `interrupted`. */
export type TestEmailState = TestEmailStatus | 'interrupted';

export const FINAL_TEST_EMAIL_STATUSES: ReadonlySet<TestEmailStatus> = new Set([
  'arrived',
  'failed',
  'not_arrived',
]);

/** Marks our test emails, so reply ingestion can recognise and skip them; the value is the row's id. */
export const TEST_EMAIL_HEADER = 'X-Mailroom-Test';

/**
 * How long after its request a test email is still recognised when collected. Longer than the
 * 3-minute arrival wait: the arrival check usually finds it first (the row is `arrived` by then),
 * and a mailbox whose polls back off or fail collects it hours later.
 */
export const TEST_EMAIL_RECOGNISED_MS = 7 * 24 * 3600_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The test-email id a `X-Mailroom-Test` value names, or null. Anybody can write the header, so
 * the id only counts once it is found among the address's recent test emails (decision 0003).
 */
export function testEmailIdIn(value: string | null | undefined): string | null {
  const v = value?.trim() ?? '';
  return UUID.test(v) ? v.toLowerCase() : null;
}

/** How long the round trip waits for arrival, and how often it looks. */
export interface TestEmailTiming {
  /** From the request to giving up on arrival. */
  arrivalTimeoutMs: number;
  /** Pauses between arrival checks, the last one repeating. */
  checkIntervalsMs: readonly number[];
}

export const DEFAULT_TEST_EMAIL_TIMING: TestEmailTiming = {
  arrivalTimeoutMs: 180_000,
  checkIntervalsMs: [2_000, 3_000, 5_000, 10_000, 15_000],
};

/** Grace after the deadline before an unfinished row is declared interrupted. */
const INTERRUPTED_AFTER_MS = 60_000;

export function testEmailState(
  row: { status: TestEmailStatus; deadlineAt: Date },
  now: Date,
): TestEmailState {
  if (FINAL_TEST_EMAIL_STATUSES.has(row.status)) return row.status;
  return now.getTime() > row.deadlineAt.getTime() + INTERRUPTED_AFTER_MS ? 'interrupted' : row.status;
}

/** Our Message-ID for a test email: unique, ASCII, on the address's own domain. */
export function testEmailMessageId(testEmailId: string, asciiAddress: string): string {
  const domain = asciiAddress.slice(asciiAddress.lastIndexOf('@') + 1).toLowerCase();
  return `<mailroom-test.${testEmailId}@${domain}>`;
}

/** The pause before arrival check number `n` (0-based). */
export function checkDelayMs(timing: TestEmailTiming, n: number): number {
  const list = timing.checkIntervalsMs;
  return list[Math.min(n, list.length - 1)] ?? 5_000;
}

/** The subject and text of the test email in the requester's language. */
export function testEmailTexts(lang: 'pl' | 'en', address: string, testEmailId: string) {
  if (lang === 'pl') {
    return {
      subject: 'mailroom: wiadomość testowa',
      text:
        `To jest wiadomość testowa wysłana przez mailroom z adresu ${address} na ten sam adres, ` +
        'aby sprawdzić, że wysyłanie i odbieranie działają. Możesz ją usunąć.\n\n' +
        `Identyfikator testu: ${testEmailId}\n`,
    };
  }
  return {
    subject: 'mailroom: test message',
    text:
      `This is a test message sent by mailroom from ${address} to the same address, ` +
      'to check that sending and receiving work. You can delete it.\n\n' +
      `Test id: ${testEmailId}\n`,
  };
}
