import { badUserInput, isUuid } from '@minishop/runtime';

/**
 * Where a product listing stopped: the listing's sort key plus the id that breaks ties. Listings
 * without a search are ordered by name; searches by rank, kept as Postgres' own text of the
 * `real` value so it compares exactly on the next page.
 */
export type ProductCursor = { by: 'name'; name: string; id: string } | { by: 'rank'; rank: string; id: string };

export type CursorOrder = ProductCursor['by'];

/** Postgres' text output of a `real`, e.g. 0.6079271 or 1e-20. */
const REAL = /^\d+(\.\d+)?(e[+-]?\d+)?$/;

/** An opaque base64url token for `cursor`. */
export function encodeCursor(cursor: ProductCursor): string {
  const key = cursor.by === 'name' ? cursor.name : cursor.rank;
  return Buffer.from(JSON.stringify([cursor.by, key, cursor.id])).toString('base64url');
}

/**
 * Reads an `after` argument back. Throws BAD_USER_INPUT (field `after`) when it is not a token
 * from encodeCursor, or when it was issued for the other ordering (a search cursor reused without
 * the search, or the reverse).
 */
export function decodeCursor(token: string, expected: CursorOrder): ProductCursor {
  const cursor = parse(token);
  if (!cursor) throw badUserInput('`after` is not a cursor returned by this API', { field: 'after' });
  if (cursor.by !== expected) {
    throw badUserInput('`after` belongs to a listing with a different search; start again without it', {
      field: 'after',
    });
  }
  return cursor;
}

function parse(token: string): ProductCursor | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [by, key, id] = value as unknown[];
  if (typeof key !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
  if (by === 'name') return { by, name: key, id };
  if (by === 'rank' && REAL.test(key)) return { by, rank: key, id };
  return null;
}
