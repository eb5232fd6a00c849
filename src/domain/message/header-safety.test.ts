import { describe, expect, it } from 'vitest';
import { fieldMessage } from '../../http/i18n/error-messages.js';
import {
  cleanHeaderText,
  cleanThreadIds,
  type HeaderTextProblem,
  headerTextProblem,
  isMsgId,
  safeAttachmentName,
  safeContentType,
  stripInvisible,
} from './header-safety.js';

describe('headerTextProblem', () => {
  it.each([
    ['Anna Nowak', null],
    ['Zażółć gęślą jaźń — „cytat”', null],
    ['A\r\nB', 'line_break'],
    ['A\rB', 'line_break'],
    ['A\nB', 'line_break'],
    ['A\u2028B', 'line_break'],
    ['A\u0085B', 'line_break'],
    ['A\0B', 'control_character'],
    ['A\u007fB', 'control_character'],
    ['A\u200bB', 'invisible_character'],
    ['A\u200dB', 'invisible_character'],
    ['A\u202eB', 'invisible_character'],
    ['A\u2067B', 'invisible_character'],
    ['A\ufeffB', 'invisible_character'],
    ['A\u061cB', 'invisible_character'],
    ['=?utf-8?q?x?=', 'encoded_word'],
    ['=?ISO-8859-2*pl?B?eA==?=', 'encoded_word'],
    ['a =? b ?= c', null],
    ['x'.repeat(41), 'maxLength'],
    ['ż'.repeat(40), null],
    ['😀'.repeat(40), null],
  ] as const)('%j → %s', (value, problem) => {
    expect(headerTextProblem(value, 40)).toBe(problem);
  });

  it('every problem code has its own Polish and English message', () => {
    const codes: HeaderTextProblem[] = [
      'line_break',
      'control_character',
      'invisible_character',
      'encoded_word',
    ];
    const fallback = fieldMessage('format', 'en');
    for (const code of [...codes, 'message_id']) {
      expect(fieldMessage(code, 'en')).not.toBe(fallback);
      expect(fieldMessage(code, 'pl')).not.toBe(fieldMessage('format', 'pl'));
    }
  });
});

describe('cleanHeaderText', () => {
  it('strips invisible characters and outer spaces, refuses the rest with the path', () => {
    expect(cleanHeaderText(' \u200bAnna\u202e ', '/from/name', 200)).toEqual({
      ok: true,
      value: 'Anna',
      looksEncoded: false,
    });
    expect(cleanHeaderText('Anna\r\n', '/from/name', 200)).toEqual({
      ok: false,
      issue: { path: '/from/name', code: 'line_break' },
    });
    expect(cleanHeaderText('abc', '/subject', 2)).toEqual({
      ok: false,
      issue: { path: '/subject', code: 'maxLength', params: { limit: 2 } },
    });
  });

  it('refuses an encoded-word look-alike, or flags it for encoding when asked', () => {
    const tricky = '=?utf-8?b?QQ0KQmNjOiBldmlsQHgucGw=?=';
    expect(cleanHeaderText(tricky, '/from/name', 200)).toEqual({
      ok: false,
      issue: { path: '/from/name', code: 'encoded_word' },
    });
    expect(cleanHeaderText(tricky, '/subject', 200, { encodedWords: 'encode' })).toEqual({
      ok: true,
      value: tricky,
      looksEncoded: true,
    });
    expect(cleanHeaderText(`${tricky}\n`, '/subject', 200, { encodedWords: 'encode' })).toMatchObject({
      ok: false,
      issue: { code: 'line_break' },
    });
    expect(cleanHeaderText(tricky, '/subject', 10, { encodedWords: 'encode' })).toMatchObject({
      ok: false,
      issue: { code: 'maxLength' },
    });
  });

  it('turns U+2028/2029 from stored text into spaces, still refuses CR/LF', () => {
    expect(cleanHeaderText('Wycena\u2028okien\u2029', '/subject', 200)).toEqual({
      ok: true,
      value: 'Wycena okien',
      looksEncoded: false,
    });
    expect(cleanHeaderText('Wycena\u0085okien', '/subject', 200)).toMatchObject({ ok: false });
  });

  it('counts the length after stripping', () => {
    expect(cleanHeaderText(`${'a'.repeat(5)}\u200b\u200b`, '/x', 5)).toEqual({
      ok: true,
      value: 'aaaaa',
      looksEncoded: false,
    });
    expect(stripInvisible('a\u{E0001}b\u00adc')).toBe('abc');
  });
});

describe('threading ids', () => {
  it('accepts only <left@right> of printable ASCII, at most 250 characters', () => {
    expect(isMsgId('<mr.abc.def@firma.pl>')).toBe(true);
    expect(isMsgId('<CAF=x+y_z@mail.gmail.com>')).toBe(true);
    expect(isMsgId('<a@[127.0.0.1]>')).toBe(true);
    for (const bad of ['a@b', '<a b@c>', '<ab>', '<a@b>x', '<a@b>\r\n', '<ą@b>', `<${'a'.repeat(250)}@b>`])
      expect(isMsgId(bad)).toBe(false);
  });

  it('keeps the first and the newest 19 valid, distinct references in order', () => {
    const refs = Array.from({ length: 30 }, (_, i) => `<r${i}@x.pl>`);
    const out = cleanThreadIds(' <r29@x.pl> ', [
      'junk',
      ...refs,
      '<r5@x.pl>',
      'junk',
      '<r29@x.pl>',
      '<r0@x.pl>',
    ]);
    expect(out.inReplyTo).toBe('<r29@x.pl>');
    // The thread's start stays first; `<r5>` moved to the end (its last mention counts).
    expect(out.references).toEqual([
      '<r0@x.pl>',
      ...refs.slice(12, 29).filter((r) => r !== '<r5@x.pl>'),
      '<r5@x.pl>',
      '<r29@x.pl>',
    ]);
    expect(out.references).toHaveLength(20);
    expect(cleanThreadIds('<bad\u0000@x>', undefined)).toEqual({ inReplyTo: null, references: [] });
  });
});

describe('safeAttachmentName', () => {
  it.each([
    ['raport.pdf', 'raport.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['a\r\nb.txt', 'a b.txt'],
    ['a\u0000b.txt', 'ab.txt'],
    ['zdjęcie\u202egpj.exe', 'zdjęciegpj.exe'],
    ['zero\u200bwidth.doc', 'zerowidth.doc'],
    ['"x".pdf', 'x.pdf'],
    ['what?.pdf', 'what.pdf'],
    ['.htaccess', 'htaccess'],
    ['trailing. . ', 'trailing'],
    ['..', 'attachment-3'],
    ['/', 'attachment-3'],
    ['\u202e.exe', 'exe'],
    ['\u200b', 'attachment-3'],
  ])('%j → %j', (input, output) => {
    expect(safeAttachmentName(input, 2)).toBe(output);
  });

  it('shortens long names and keeps the extension', () => {
    const name = safeAttachmentName(`${'ż'.repeat(500)}.xlsx`, 0);
    expect([...name]).toHaveLength(120);
    expect(name.endsWith('ż.xlsx')).toBe(true);
    expect([...safeAttachmentName('x'.repeat(500), 0)]).toHaveLength(120);
  });

  it('content types: a well-formed type/subtype or application/octet-stream', () => {
    expect(safeContentType('Application/PDF')).toBe('application/pdf');
    expect(safeContentType('text/plain; charset=utf-8')).toBe('application/octet-stream');
    expect(safeContentType('text/html\r\nX: y')).toBe('application/octet-stream');
    expect(safeContentType('')).toBe('application/octet-stream');
  });
});
