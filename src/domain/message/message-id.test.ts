import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newThreadToken, outgoingMessageId, threadTokenOf } from './message-id.js';

describe('outgoing Message-IDs', () => {
  it('carries the thread token and reads it back, whatever the case', () => {
    const token = newThreadToken(randomBytes);
    expect(token).toMatch(/^[a-z2-7]{16}$/);
    const id = outgoingMessageId(token, 'firma.pl', randomBytes);
    expect(id).toMatch(/^<mr\.[a-z2-7]{16}\.[a-z2-7]{16}@firma\.pl>$/);
    expect(threadTokenOf(id)).toBe(token);
    expect(threadTokenOf(id.toUpperCase())).toBe(token);
    expect(threadTokenOf(` ${id} `)).toBe(token);
  });

  it('gives each email of a thread its own id', () => {
    const token = newThreadToken(randomBytes);
    const ids = new Set(Array.from({ length: 50 }, () => outgoingMessageId(token, 'a.pl', randomBytes)));
    expect(ids.size).toBe(50);
  });

  it('finds no token in ids that are not ours', () => {
    for (const id of [
      '<mr.abc@firma.pl>',
      '<mailroom-test.x@firma.pl>',
      '<CAF1234@mail.gmail.com>',
      '<mr.aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbb@firma.pl>x',
      '<mr.aaaaaaaaaaaaaaa1.bbbbbbbbbbbbbbbb@firma.pl>',
      'mr.aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbb@firma.pl',
      '<mr.aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbb@fir ma.pl>',
    ]) {
      expect(threadTokenOf(id)).toBeNull();
    }
  });

  it('refuses a Unicode domain (the caller passes punycode) and a malformed token', () => {
    expect(() => outgoingMessageId(newThreadToken(randomBytes), 'przykład.pl', randomBytes)).toThrow();
    expect(() => outgoingMessageId('short', 'a.pl', randomBytes)).toThrow();
  });
});
