import { describe, expect, it } from 'vitest';
import { VISIBLE, VISIBLY_BLANK } from '../fixtures/visible-text-cases.js';

type Check = (value: string) => string | undefined;
// Loaded by URL: a static import would make the root typecheck follow the web's extensionless
// imports (and its React types), which only the web's own tsconfig resolves.
const validators = new URL('../../web/src/shared/lib/validators.ts', import.meta.url).href;
const { createValidators } = (await import(validators)) as {
  createValidators: (t: (key: string) => string) => { required: Check; present: Check };
};
// The key stands in for the translated message: enough to see which rule answered.
const v = createValidators((key) => key);

/** The forms' "required" is the server's refuseBlank rule, on the same table of cases. */
describe('the web forms’ required check', () => {
  it.each(VISIBLY_BLANK)('%s is refused before submitting', (_, text) => {
    expect(v.required(text)).toBe('validation.required');
  });

  it.each(VISIBLE)('%s passes', (_, text) => {
    expect(v.required(text)).toBeUndefined();
  });

  it('a password counts every character: only an empty one is missing', () => {
    expect(v.present('\u200b\u3164')).toBeUndefined();
    expect(v.present('   ')).toBeUndefined();
    expect(v.present('')).toBe('validation.required');
  });
});
