import { describe, expect, it } from 'vitest';
import { VISIBLE, VISIBLY_BLANK } from '../../test/fixtures/visible-text-cases.js';
import { refuseBlank } from './errors.js';
import { isVisiblyBlank } from './visible-text.js';

describe('isVisiblyBlank', () => {
  it.each(VISIBLY_BLANK)('%s is blank', (_, text) => {
    expect(isVisiblyBlank(text)).toBe(true);
  });

  it.each(VISIBLE)('%s is not blank', (_, text) => {
    expect(isVisiblyBlank(text)).toBe(false);
  });
});

describe('refuseBlank', () => {
  it('refuses invisible-only text with `required` at the field path; visible text and absent fields pass', () => {
    let caught: unknown;
    try {
      refuseBlank({ name: '\u2800', title: '👩\u200d💻 Anna', other: undefined, subject: '\u200b\u3164' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [
        { path: '/body/name', code: 'required' },
        { path: '/body/subject', code: 'required' },
      ],
    });
    expect(() => refuseBlank({ name: 'Zażółć', other: undefined })).not.toThrow();
  });
});
