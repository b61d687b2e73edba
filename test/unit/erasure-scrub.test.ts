// Erasure scrubs a customer's external id out of stored job results (import error reports quote
// rows). It must take the id out wherever it stands as a value, and nothing else: a short or
// numeric id once turned counts like "rowsRead":1001 into invalid JSON and blocked the erasure.
import { scrubIdentifier } from '../../src/modules/customers/erasure';

describe('scrubIdentifier', () => {
  const result = {
    __typename: 'ImportResult', rowsRead: 1001, rowsWritten: 1000,
    errors: [
      { line: 12, message: 'customer 1001: email is not valid', raw: '1001,not-an-email,2026-03-01' },
      { line: 13, message: 'unknown product x1001y', raw: 'P-1001,3' },
    ],
  };

  it('replaces a numeric id where it stands as a token, keeps numbers, longer tokens and JSON intact', () => {
    const out = scrubIdentifier(result, '1001') as typeof result;
    expect(out.rowsRead).toBe(1001);
    expect(out.errors[0]).toEqual({ line: 12, message: 'customer [erased]: email is not valid', raw: '[erased],not-an-email,2026-03-01' });
    expect(out.errors[1]).toEqual(result.errors[1]); // x1001y and P-1001 are other identifiers
    expect(() => JSON.parse(JSON.stringify(out))).not.toThrow();
  });

  it('leaves __typename and words alone for a one-letter id, and escapes regex characters', () => {
    const out = scrubIdentifier({ __typename: 'ImportResult', note: 'e is erased; here e', id: 'e' }, 'e') as Record<string, string>;
    expect(out).toEqual({ __typename: 'ImportResult', note: '[erased] is erased; here [erased]', id: '[erased]' });
    expect(scrubIdentifier(['a.b+c', 'aXb+c'], 'a.b+c')).toEqual(['[erased]', 'aXb+c']);
  });

  it('walks nested arrays and objects and returns non-strings unchanged', () => {
    expect(scrubIdentifier({ a: [{ b: ['C7 bought', null, 7, true] }] }, 'C7')).toEqual({ a: [{ b: ['[erased] bought', null, 7, true] }] });
    expect(scrubIdentifier(null, 'C7')).toBeNull();
  });
});
