import { describe, expect, it } from 'vitest';
import { chooseSentFolder, type ListedMailbox } from './sent-copy-folder.js';

const box = (path: string, flags: string[] = [], extra: Partial<ListedMailbox> = {}): ListedMailbox => ({
  path,
  flags: new Set(flags),
  ...extra,
});

describe('chooseSentFolder (M57)', () => {
  it('prefers the server’s \\Sent flag over any name', () => {
    expect(chooseSentFolder([box('INBOX'), box('Sent'), box('Nadane', ['\\Sent'])])).toBe('Nadane');
    expect(
      chooseSentFolder([box('Sent'), box('X', [], { specialUse: '\\Sent', specialUseSource: 'extension' })]),
    ).toBe('X');
  });

  it('falls back to common names, under any parent, Polish first', () => {
    expect(chooseSentFolder([box('INBOX'), box('INBOX.Sent')])).toBe('INBOX.Sent');
    expect(chooseSentFolder([box('[Gmail]/Sent Mail')])).toBe('[Gmail]/Sent Mail');
    expect(chooseSentFolder([box('Sent Items'), box('Elementy wysłane')])).toBe('Elementy wysłane');
    expect(chooseSentFolder([box('Sent'), box('Wysłane')])).toBe('Wysłane');
    expect(chooseSentFolder([box('INBOX/SENT')])).toBe('INBOX/SENT');
  });

  it('ignores imapflow’s own name guess (the name list decides) and mailboxes that hold nothing', () => {
    expect(
      chooseSentFolder([
        box('Archiwum', [], { specialUse: '\\Sent', specialUseSource: 'name' }),
        box('Sent'),
      ]),
    ).toBe('Sent');
    expect(chooseSentFolder([box('Sent', ['\\Noselect']), box('Drafts')])).toBeNull();
    expect(chooseSentFolder([box('INBOX'), box('Sentimental')])).toBeNull();
  });
});
