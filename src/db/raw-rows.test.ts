import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { rowDecoder } from './raw-rows.js';

const decode = rowDecoder(
  'test query',
  Type.Object({ id: Type.String(), n: Type.Union([Type.Integer(), Type.String()]) }),
);

describe('rowDecoder: raw SQL rows checked against their schema', () => {
  it('passes matching rows through, typed', () => {
    const rows = decode({
      rows: [
        { id: 'a', n: 1 },
        { id: 'b', n: '2' },
      ],
    });
    expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('refuses a row that does not match, naming the query, the row and the column', () => {
    expect(() =>
      decode({
        rows: [
          { id: 'a', n: 1 },
          { id: 7, n: 1 },
        ],
      }),
    ).toThrow(/test query: row 1 .*\/id/);
  });

  it('refuses a result without rows', () => {
    expect(() => decode({})).toThrow(/no rows array/);
  });
});
