import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../services/inbound/process-parse.js';
import { readReceived } from './read-received.js';

const htmlOnly = (html: string) =>
  parseMessage(
    Buffer.from(`From: a@b.pl\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}`),
  );

describe('readReceived: HTML-only mail', () => {
  it('takes the new text from the HTML when only the HTML marks the history (Outlook)', async () => {
    const msg = await htmlOnly(
      '<div>Nowe &amp; ważne</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>Od:</b> X</div><div>stare stare</div>',
    );
    const r = readReceived(msg.text, msg.html);
    expect(r.visibleText).toBe('Nowe & ważne');
    expect(r.quotedText).toContain('stare stare');
  });

  it('folds a Gmail quote of an HTML-only message', async () => {
    const msg = await htmlOnly(
      '<p>Tylko <b>HTML</b></p><p>Drugi akapit</p><div class="gmail_quote"><div class="gmail_attr">czw. napisał(a):</div><blockquote class="gmail_quote">stare</blockquote></div>',
    );
    const r = readReceived(msg.text, msg.html);
    expect(r.visibleText).toBe('Tylko HTML\n\nDrugi akapit');
    expect(r.quotedText).toContain('stare');
  });
});

describe('readReceived: hostile HTML', () => {
  // 400 KiB of unclosed tags took 9.2 s (htmlparser2 pays the depth for each open tag).
  it('shows the text of a reply whose HTML nests too deeply to parse', async () => {
    const msg = await parseMessage(
      Buffer.from(
        `From: a@b.pl\r\nSubject: x\r\nContent-Type: multipart/alternative; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nDzień dobry\r\n--zz\r\nContent-Type: text/html\r\n\r\n${'<b>'.repeat((400 * 1024) / 3)}\r\n--zz--\r\n`,
      ),
    );
    expect(msg.html?.length).toBeGreaterThan(400_000);
    const r = readReceived(msg.text, msg.html);
    expect(r).toEqual({ visibleText: 'Dzień dobry', quotedText: '', html: null });
  }, 5_000);
});
