import { describe, expect, it } from 'vitest';
import { HTML_LIMITS, sanitizeReceivedHtml } from './sanitize-received-html.js';

const clean = (html: string) => sanitizeReceivedHtml(html)?.html;

describe('sanitizeReceivedHtml (M41)', () => {
  it.each([
    ['<p>a</p><script>alert(1)</script>', '<p>a</p>'],
    ['<p>a</p><SCRIPT src="https://evil.example/x.js"></SCRIPT>', '<p>a</p>'],
    ['<style>body{background:url(https://t.example/x)}</style><p>a</p>', '<p>a</p>'],
    ['<iframe src="https://evil.example"></iframe><p>a</p>', '<p>a</p>'],
    ['<object data="x.swf"></object><embed src="x"><p>a</p>', '<p>a</p>'],
    ['<form action="https://evil.example"><input name="p"><button>Go</button></form>', 'Go'],
    ['<svg><script>alert(1)</script><image href="https://t.example/x"/></svg>', ''],
    ['<meta http-equiv="refresh" content="0;url=https://evil.example"><p>a</p>', '<p>a</p>'],
    ['<base href="https://evil.example/"><p>a</p>', '<p>a</p>'],
  ])('drops dangerous elements: %s', (input, expected) => {
    expect(clean(input)).toBe(expected);
  });

  it('drops event handlers and unknown attributes', () => {
    const out = clean(
      '<p onclick="alert(1)" onmouseover="x()" data-x="1" id="i" class="c">a</p><img src="x" onerror="alert(1)">',
    );
    expect(out).not.toMatch(/on(click|mouseover|error)|data-x|alert/);
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java&#x09;script:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    '//evil.example/x',
  ])('removes the link target %s', (href) => {
    const out = clean(`<a href="${href}">x</a>`);
    expect(out).toBe('<a target="_blank" rel="noopener noreferrer nofollow">x</a>');
  });

  it('keeps http(s)/mailto links, opening in a new tab without referrer', () => {
    expect(clean('<a href="https://ok.example/a?b=1" target="_self">x</a>')).toBe(
      '<a href="https://ok.example/a?b=1" target="_blank" rel="noopener noreferrer nofollow">x</a>',
    );
    expect(clean('<a href="mailto:a@b.example">m</a>')).toContain('href="mailto:a@b.example"');
  });

  it('drops CSS that could fetch or run anything, keeps harmless styles', () => {
    const out = clean(
      '<p style="color:red;background-image:url(https://t.example/p.gif);width:expression(alert(1));background-color:#fff">a</p>' +
        '<div style="background:url(https://t.example/b)">b</div><td style="behavior:url(x.htc)">c</td>' +
        '<p style="font-family:\\75rl(x)">d</p>',
    );
    expect(out).toContain('color:red');
    expect(out).toContain('background-color:#fff');
    expect(out).not.toMatch(/url|expression|behavior|\\75/i);
  });

  it('blocks remote images (no src, kept as data-mr-src) and counts them', () => {
    const r = sanitizeReceivedHtml(
      '<img src="https://tracker.example/p.gif?u=1" width="1" height="1"><img src="http://x.example/a.png" alt="A"><table background="https://t.example/bg.png"><tr><td background="https://t.example/td.png">x</td></tr></table>',
    );
    expect(r?.remoteImages).toBe(2);
    expect(r?.html).not.toMatch(/\ssrc=|background=/);
    expect(r?.html).toContain('data-mr-src="https://tracker.example/p.gif?u=1"');
    expect(r?.html).toContain('alt="A"');
  });

  it('allows data: only for raster images, and cid: images point at their part', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(clean(`<img src="${png}">`)).toBe(`<img src="${png}" />`);
    expect(clean('<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">')).toBe('<img />');
    expect(clean('<img src="data:text/html,<script>alert(1)</script>">')).not.toContain('data:');
    expect(clean('<img src="cid:logo@firma">')).toBe('<img data-mr-cid="logo@firma" />');
    expect(clean('<img src="file:///etc/passwd">')).toBe('<img />');
  });

  it("ignores the sender's own marker attributes", () => {
    const out = clean('<img data-mr-src="https://x.example/a.png"><div data-mr-quote="block">visible</div>');
    expect(out).toBe('<img /><div>visible</div>');
  });

  it('marks quote containers of common mail programs', () => {
    expect(sanitizeReceivedHtml('<p>new</p><div class="gmail_quote">old</div>')).toMatchObject({
      hasQuote: true,
    });
    expect(clean('<blockquote type="cite">old</blockquote>')).toBe(
      '<blockquote type="cite" data-mr-quote="block">old</blockquote>',
    );
    expect(clean('<div id="divRplyFwdMsg">From: x</div>')).toBe('<div data-mr-quote="outlook">From: x</div>');
    expect(sanitizeReceivedHtml('<p>no quote</p><blockquote>cited words</blockquote>')?.hasQuote).toBe(false);
  });
});

/**
 * htmlparser2 pays the current depth for each open tag (its stack is an array it `unshift`s):
 * 400 KiB of unclosed `<b>` took 6.6 s, 2 MiB 260 s. Parsing stops past the limits.
 */
describe('sanitizeReceivedHtml: nesting and tag count', () => {
  const small = { depth: 8, tags: 40 };

  it('hands the parser at most `depth` open elements and `tags` tags; past either, the HTML is not shown', () => {
    expect(sanitizeReceivedHtml(`${'<b>'.repeat(8)}x`, small)?.html).toBe(
      `${'<b>'.repeat(8)}x${'</b>'.repeat(8)}`,
    );
    expect(sanitizeReceivedHtml(`${'<b>'.repeat(9)}x`, small)).toBeNull();
    expect(sanitizeReceivedHtml('<i>x</i>'.repeat(40), small)?.html).toBe('<i>x</i>'.repeat(40));
    expect(sanitizeReceivedHtml('<i>x</i>'.repeat(41), small)).toBeNull();
  });

  it('with the real limits, refuses 400 KiB of unclosed <b> and 2 MiB of <div> at once', () => {
    expect(HTML_LIMITS.depth).toBeLessThanOrEqual(256);
    expect(sanitizeReceivedHtml('<b>'.repeat((400 * 1024) / 3))).toBeNull();
    expect(sanitizeReceivedHtml('<div>'.repeat((2 * 1024 * 1024) / 5))).toBeNull();
    expect(sanitizeReceivedHtml(`${'<b>'.repeat(HTML_LIMITS.depth)}x`)?.html).toContain('x</b>');
  }, 5_000);

  it('counts what the parser keeps open: closed, void and implicitly closed elements do not add up', () => {
    for (const html of [
      '<div><b>x</b></div>'.repeat(10),
      '<p>para'.repeat(12),
      `<ul>${'<li>item'.repeat(12)}</ul>`,
      `<table>${'<tr><td>a<td>b'.repeat(4)}</table>`,
      'a<br>b<img src="cid:x">'.repeat(10),
      `${'<blockquote type="cite"><div>'.repeat(3)}old`,
    ])
      expect(sanitizeReceivedHtml(html, small)?.html).toContain('>');
  });
});
