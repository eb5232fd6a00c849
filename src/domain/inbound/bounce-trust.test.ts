import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../services/inbound/process-parse.js';
import { classifyInbound } from './classify-inbound.js';

/**
 * What only a mail system may send (decision 0003): a delivery-status report and Exchange's
 * NDR header count only from a null Return-Path, or, where the delivering server wrote none,
 * from a mail system's From. Real reports (test/fixtures/inbound) all pass; the same shapes
 * from a person are the person's mail.
 */
const ours = '<mr.abcdefghijklmnop.qrstuvwxyz234567@mail.firma.example>';
const fixture = (path: string) =>
  readFileSync(new URL(`../../../test/fixtures/inbound/${path}`, import.meta.url)).toString('latin1');
const classify = async (raw: string) => classifyInbound(await parseMessage(Buffer.from(raw, 'latin1')));

/** An RFC 3464-shaped report naming a co-recipient, as a CC'd contact could write one. */
const report = (head: string) =>
  `${head}To: sales@firma.example\r\nSubject: Re: Offer\r\nIn-Reply-To: ${ours}\r\nMIME-Version: 1.0\r\n` +
  'Content-Type: multipart/report; report-type=delivery-status; boundary=zz\r\n\r\n' +
  '--zz\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--zz\r\nContent-Type: message/delivery-status\r\n\r\n' +
  'Reporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; boss@client.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--zz--\r\n';

const reply = (head: string) =>
  `${head}To: sales@firma.example\r\nSubject: Re: Offer\r\nIn-Reply-To: ${ours}\r\n` +
  'X-MS-Exchange-Message-Is-NDR:\r\n\r\nYes, we accept the offer.\r\n';

describe('a delivery-status report counts only from a mail system', () => {
  it.each([
    ['a contact, no Return-Path', 'From: Cc Contact <cc@client.example>\r\n'],
    [
      'a contact, its own Return-Path',
      'Return-Path: <cc@client.example>\r\nFrom: Cc Contact <cc@client.example>\r\n',
    ],
    [
      'a mailer-daemon From with a real Return-Path',
      'Return-Path: <cc@client.example>\r\nFrom: MAILER-DAEMON@client.example\r\n',
    ],
  ])('from %s it is the sender’s mail', async (_, head) => {
    expect((await classify(report(head))).kind).toBe('message');
  });

  it.each([
    ['a null Return-Path', 'Return-Path: <>\r\nFrom: Cc Contact <cc@client.example>\r\n'],
    ['a postmaster From, no Return-Path', 'From: postmaster@client.example\r\n'],
  ])('from %s it is a bounce', async (_, head) => {
    const c = await classify(report(head));
    expect(c.kind).toBe('bounce');
  });

  it('a real Postfix DSN with its Return-Path taken as a person’s is no longer one', async () => {
    const raw = fixture('bounces/postfix-dsn-user-unknown.eml');
    expect((await classify(raw)).kind).toBe('bounce');
    expect(
      (await classify(raw.replace(/^Return-Path: <>/im, 'Return-Path: <jan@klient.example>'))).kind,
    ).not.toBe('bounce');
  });
});

describe("Exchange's X-MS-Exchange-Message-Is-Ndr", () => {
  it.each([
    ['no Return-Path', 'From: Client <boss@client.example>\r\n'],
    ['its own Return-Path', 'Return-Path: <boss@client.example>\r\nFrom: Client <boss@client.example>\r\n'],
  ])('a reply carrying it with %s stays a reply', async (_, head) => {
    expect((await classify(reply(head))).kind).toBe('message');
  });

  it('is trusted on a real Exchange NDR (MicrosoftExchange… sender, header the only sign)', async () => {
    const raw = fixture('delivery/bounces/exchange-ndr-sv-header-only.eml');
    expect((await classify(raw)).kind).toBe('bounce');
    // The same message from a person: the header alone makes nothing.
    const person = raw.replace(
      /^From: Microsoft Outlook <MicrosoftExchange[0-9a-f]+@kund\.example>/m,
      'From: Lars Berg <lars@kund.example>',
    );
    expect(person).not.toBe(raw);
    expect((await classify(person)).kind).not.toBe('bounce');
  });

  it('is trusted on a null Return-Path', async () => {
    expect((await classify(reply('Return-Path: <>\r\nFrom: Client <boss@client.example>\r\n'))).kind).toBe(
      'bounce',
    );
  });
});
