/** What the refresh looks at: each comment's emails (a `TaskComment` fits). */
type ThreadEmails = readonly { emails: readonly { status: string; sentAt: string | null }[] }[];

/** While an email of the thread is on its way (the outbox worker moves it): refresh this often. */
export const PENDING_REFRESH_MS = 3000;
/** A quiet thread: replies and bounces still arrive in the background. */
export const QUIET_REFRESH_MS = 15_000;
/**
 * For this long after an email of the thread was sent, refresh as often as while one is
 * pending: answers come in seconds (IDLE; the sandbox's Jan, Ewa and bounce within ~5 s), and
 * the one who just wrote is watching for them. Without it a reply that arrived 2 s after
 * "Wysłano" showed up to 15 s later, with nothing on screen saying anything was coming.
 */
export const AWAITING_ANSWER_MS = 2 * 60_000;

/** How often the open thread asks the server for its comments again. */
export function threadRefreshMs(comments: ThreadEmails | undefined, now: number): number {
  if (!comments) return QUIET_REFRESH_MS;
  for (const c of comments)
    for (const e of c.emails) {
      if (e.status === 'queued' || e.status === 'sending' || e.status === 'deferred')
        return PENDING_REFRESH_MS;
      if (e.status === 'sent' && e.sentAt && now - Date.parse(e.sentAt) < AWAITING_ANSWER_MS)
        return PENDING_REFRESH_MS;
    }
  return QUIET_REFRESH_MS;
}
