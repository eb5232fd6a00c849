import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { FlatJsonView, flatJson } from './flat-json.js';

describe('flatJson: free-form detail in a closed shape', () => {
  it('keeps two levels of objects with scalar or list leaves as they are', () => {
    const d = { changed: ['name'], smtp: { host: 'h', port: 587, ok: true, cause: null }, n: 1 };
    expect(flatJson(d)).toEqual(d);
    expect(Value.Check(FlatJsonView, flatJson(d))).toBe(true);
  });

  it('turns deeper values into their JSON text and drops nothing', () => {
    const out = flatJson({ a: { b: { c: 1 } }, list: [{ x: [{ y: 1 }] }], when: undefined });
    expect(out).toEqual({ a: { b: '{"c":1}' }, list: [{ x: '[{"y":1}]' }], when: null });
    expect(Value.Check(FlatJsonView, out)).toBe(true);
  });

  it('answers {} for anything that is not an object', () => {
    for (const v of [null, 'x', 1, [1]]) expect(flatJson(v)).toEqual({});
  });
});
