import { badUserInput } from './errors';
import { isUuid } from './loaders';

/** Largest `first` any connection accepts. */
export const MAX_PAGE_SIZE = 100;

/** `first` of a connection, or BAD_USER_INPUT (with `field`) unless it is 1..MAX_PAGE_SIZE. */
export function checkPageSize(first: number, field = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`\`${field}\` must be between 1 and ${MAX_PAGE_SIZE}`, { field });
  }
  return first;
}

/** Position in a newest-first listing: the row's timestamp plus its id, which breaks ties. */
export interface TimeCursor {
  at: Date;
  id: string;
}

/** An opaque base64url token for a newest-first listing's `cursor`. */
export function encodeTimeCursor(cursor: TimeCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString('base64url');
}

/** Reads an `after` token from encodeTimeCursor back; BAD_USER_INPUT (field `after`) for anything else. */
export function decodeTimeCursor(token: string, field = 'after'): TimeCursor {
  const cursor = parseTimeCursor(token);
  if (!cursor) throw badUserInput(`\`${field}\` is not a cursor returned by this API`, { field });
  return cursor;
}

function parseTimeCursor(token: string): TimeCursor | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [at, id] = value as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
  const date = new Date(at);
  return Number.isNaN(date.getTime()) || date.toISOString() !== at ? null : { at: date, id };
}
