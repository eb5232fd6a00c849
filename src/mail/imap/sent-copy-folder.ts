/** What the folder choice needs of one LIST entry (imapflow's ListResponse fits). */
export interface ListedMailbox {
  path: string;
  name?: string;
  flags?: Set<string>;
  specialUse?: string | undefined;
  /** imapflow: 'extension' = the server's SPECIAL-USE/XLIST flag; 'name' = its own name guess. */
  specialUseSource?: 'user' | 'extension' | 'name' | undefined;
}

/**
 * Common names of the Sent folder, compared without case and without the parent path
 * (`INBOX.Sent`, `[Gmail]/Sent Mail`). Polish first: our users' providers (WP, Onet, Interia,
 * o2) and Outlook in Polish use these.
 */
export const SENT_FOLDER_NAMES: readonly string[] = [
  'wysłane',
  'elementy wysłane',
  'wiadomości wysłane',
  'sent',
  'sent items',
  'sent mail',
  'sent messages',
  'gesendet',
  'gesendete elemente',
  'envoyés',
  'éléments envoyés',
];

const NOSELECT = ['\\Noselect', '\\NonExistent'];

/**
 * The mailbox to append a copy of a sent email to (M57): the one the server flags `\Sent`
 * (RFC 6154), else the first whose last path segment is a common Sent name (earlier names
 * win), else null. Mailboxes that cannot hold messages are never chosen.
 */
export function chooseSentFolder(boxes: readonly ListedMailbox[], delimiters = ['/', '.']): string | null {
  const usable = boxes.filter((b) => !NOSELECT.some((f) => b.flags?.has(f)));
  const flagged = usable.find(
    (b) => b.flags?.has('\\Sent') || (b.specialUse === '\\Sent' && b.specialUseSource !== 'name'),
  );
  if (flagged) return flagged.path;
  const leaf = (b: ListedMailbox) => {
    let name = b.name ?? b.path;
    for (const d of delimiters) name = name.slice(name.lastIndexOf(d) + 1);
    return name.trim().toLowerCase();
  };
  for (const wanted of SENT_FOLDER_NAMES) {
    const hit = usable.find((b) => leaf(b) === wanted);
    if (hit) return hit.path;
  }
  return null;
}
