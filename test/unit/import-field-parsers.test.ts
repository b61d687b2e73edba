// Field parsing for imports: what each value type accepts, how it is normalised, what it refuses.
import {
  attributes, decimal, integer, key, oneOf, parseTimestamp, RowError, tagList, text, timestamp,
} from '../../src/modules/imports/field-parsers';

const fail = (fn: () => unknown): RowError => {
  try { fn(); } catch (e) { if (e instanceof RowError) return e; throw e; }
  throw new Error('expected a RowError');
};

describe('timestamps', () => {
  it.each([
    ['2026-11-27', '2026-11-27T00:00:00.000Z'],
    ['2026-11-27T10:00:00Z', '2026-11-27T10:00:00.000Z'],
    ['2026-11-27T10:00:00', '2026-11-27T10:00:00.000Z'],
    ['2026-11-27 10:00', '2026-11-27T10:00:00.000Z'],
    ['2026-11-27T10:00:00.123456Z', '2026-11-27T10:00:00.123Z'],
    ['2026-11-27T10:00:00+02:00', '2026-11-27T08:00:00.000Z'],
    ['2026-11-27T10:00:00-0530', '2026-11-27T15:30:00.000Z'],
    ['2026-11-27T01:00:00+03', '2026-11-26T22:00:00.000Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-11-27T24:00:00Z', '27/11/2026', '1700000000', 'yesterday', '2026-11-27T10:00:00 CET'])(
    'refuses %s', (input) => {
      expect(parseTimestamp(input)).toBeUndefined();
    });

  it('names the field when a timestamp is missing or wrong', () => {
    expect(fail(() => timestamp({}, 'ordered_at', { required: true }))).toMatchObject({ field: 'ordered_at', message: 'ordered_at is required' });
    expect(fail(() => timestamp({ at: 1700000000 }, 'at')).field).toBe('at');
    expect(timestamp({ at: '  ' }, 'at')).toBeUndefined();
  });
});

describe('numbers', () => {
  it('keeps decimals exact, as text', () => {
    expect(decimal({ p: '12.50' }, 'p')).toBe('12.50');
    expect(decimal({ p: 0.1 }, 'p')).toBe('0.1');
    expect(decimal({ p: ' .5 ' }, 'p')).toBe('.5');
  });

  it('refuses decimals that are not plain numbers, negative where not allowed, or too large', () => {
    expect(fail(() => decimal({ p: '1,50' }, 'p')).message).toMatch(/must be a number/);
    expect(fail(() => decimal({ p: '$3' }, 'p')).message).toMatch(/must be a number/);
    expect(fail(() => decimal({ p: '-1' }, 'p', { min: 0 })).message).toBe('p must be at least 0');
    expect(fail(() => decimal({ p: '99999999999' }, 'p')).message).toBe('p is too large');
  });

  it('reads whole numbers from text or JSON and enforces their bounds', () => {
    expect(integer({ q: '-3' }, 'q')).toBe(-3);
    expect(integer({ q: 7 }, 'q')).toBe(7);
    expect(fail(() => integer({ q: '1.5' }, 'q')).message).toBe('q must be a whole number');
    expect(fail(() => integer({ q: 2.5 }, 'q')).message).toBe('q must be a whole number');
    expect(fail(() => integer({ q: '0' }, 'q', { nonZero: true })).message).toBe('q must not be 0');
    expect(fail(() => integer({ q: '3000000000' }, 'q')).message).toBe('q is out of range');
  });
});

describe('text, keys and vocabularies', () => {
  it('trims text and treats empty as absent', () => {
    expect(text({ t: '  Knife ' }, 't')).toBe('Knife');
    expect(text({ t: '' }, 't')).toBeUndefined();
    expect(text({ t: 42 }, 't')).toBe('42');
  });

  it('refuses NUL characters, objects and over-long keys', () => {
    expect(fail(() => text({ t: 'a\u0000b' }, 't')).message).toMatch(/NUL/);
    expect(fail(() => text({ t: { a: 1 } }, 't')).message).toBe('t must be a string');
    expect(fail(() => key({ id: 'x'.repeat(256) }, 'id')).message).toMatch(/longer than 255/);
  });

  it('matches vocabulary values case-insensitively and falls back to the default', () => {
    const status = { active: 'ACTIVE', draft: 'DRAFT' } as const;
    expect(oneOf({ s: 'Draft' }, 's', status)).toBe('DRAFT');
    expect(oneOf({}, 's', status, { default: 'ACTIVE' })).toBe('ACTIVE');
    expect(fail(() => oneOf({ s: 'gone' }, 's', status)).message).toBe('s must be one of active, draft');
  });

  it('splits tags on | or takes a JSON array, dropping blanks and repeats', () => {
    expect(tagList({ tags: 'a| b ||a' }, 'tags')).toEqual(['a', 'b']);
    expect(tagList({ tags: ['x', 'y', 3] }, 'tags')).toEqual(['x', 'y', '3']);
    expect(tagList({}, 'tags')).toEqual([]);
    expect(fail(() => tagList({ tags: [{}] }, 'tags')).field).toBe('tags');
  });

  it('collects unknown, non-empty columns as attributes', () => {
    const known = new Set(['external_id']);
    expect(JSON.parse(attributes({ external_id: 'p', colour: ' red ', size: '', specs: { ml: 3 }, gone: null }, known)))
      .toEqual({ colour: 'red', specs: { ml: 3 } });
    expect(attributes({ external_id: 'p' }, known)).toBe('{}');
    expect(fail(() => attributes({ note: 'a\u0000' }, known)).message).toMatch(/NUL/);
  });
});
