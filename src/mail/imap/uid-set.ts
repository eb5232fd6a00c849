/**
 * A UID list as an IMAP sequence set with runs collapsed (`4,7:9,12`), sorted and without
 * repeats. A re-sync names thousands of mostly consecutive UIDs: written one by one, 9,000 of
 * them fill the 64 KiB command line servers accept (Dovecot's default) and the response line
 * we accept.
 */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i] as number;
    let last = first;
    while (i + 1 < sorted.length && sorted[i + 1] === last + 1) last = sorted[++i] as number;
    i++;
    parts.push(last === first ? String(first) : `${first}:${last}`);
  }
  return parts.join(',');
}
