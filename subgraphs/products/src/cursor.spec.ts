import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, type ProductCursor } from './cursor';

function inputErrorOf(run: () => unknown): Record<string, unknown> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions;
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('product cursors', () => {
  const id = randomUUID();

  it.each<ProductCursor>([
    { by: 'name', name: 'Aria "Wireless" Headphones, 2 × ünïcode', id },
    { by: 'name', name: '', id },
    { by: 'rank', rank: '0.6079271', id },
    { by: 'rank', rank: '1e-20', id },
  ])('round-trips %j', (cursor) => {
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded, cursor.by)).toEqual(cursor);
  });

  it('refuses a cursor issued for the other ordering', () => {
    const byName = encodeCursor({ by: 'name', name: 'Mouse', id });
    expect(inputErrorOf(() => decodeCursor(byName, 'rank'))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    const byRank = encodeCursor({ by: 'rank', rank: '0.1', id });
    expect(inputErrorOf(() => decodeCursor(byRank, 'name'))).toMatchObject({ field: 'after' });
  });

  it.each([
    ['not base64 JSON', 'definitely not a cursor'],
    ['a JSON object', token({ by: 'name', name: 'a', id })],
    ['a non-UUID id', token(['name', 'a', 'x; DROP TABLE products'])],
    ['a rank that is not a real', token(['rank', '1 OR 1=1', id])],
    ['an unknown ordering', token(['price', '100', id])],
    ['a missing part', token(['name', 'a'])],
    ['a non-string key', token(['name', 5, id])],
  ])('rejects %s with BAD_USER_INPUT on `after`', (_, value) => {
    expect(inputErrorOf(() => decodeCursor(value, 'name'))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
