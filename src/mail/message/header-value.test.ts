import { describe, expect, it } from 'vitest';
import { hasMessageId, headerValue } from './header-value.js';

const msg = (s: string) => Buffer.from(s, 'latin1');

describe('headerValue', () => {
  it('finds a header case-insensitively and unfolds it', () => {
    const raw = msg(
      'Subject: a\r\nmessage-ID:\r\n <x.1@example.com>\r\nFrom: b@c\r\n\r\nMessage-ID: <body@x>',
    );
    expect(headerValue(raw, 'Message-ID')).toBe('<x.1@example.com>');
    expect(hasMessageId(raw, '<x.1@example.com>')).toBe(true);
  });

  it('never reads past the header block, and tolerates bare LF', () => {
    const raw = msg('Subject: a\n\nMessage-ID: <x.1@example.com>\n');
    expect(headerValue(raw, 'message-id')).toBeNull();
    expect(hasMessageId(raw, '<x.1@example.com>')).toBe(false);
  });

  it('does not match a different or partial id', () => {
    const raw = msg('Message-ID: <x.10@example.com>\r\n\r\n');
    expect(hasMessageId(raw, '<x.1@example.com>')).toBe(false);
    expect(headerValue(msg('X-Message-ID: <y@z>\r\n\r\n'), 'message-id')).toBeNull();
  });
});
