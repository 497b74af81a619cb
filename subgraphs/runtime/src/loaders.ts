import DataLoader from 'dataloader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical UUID, the id format of every Postgres-backed entity. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A per-request loader that batches lookups by a unique key into one query (`fetch` gets the
 * distinct valid keys) and answers null for keys that are not found or not valid.
 */
export function createKeyLoader<Row>(
  fetch: (keys: string[]) => Promise<Row[]>,
  keyOf: (row: Row) => string,
  isValidKey: (key: string) => boolean = isUuid,
): DataLoader<string, Row | null> {
  return new DataLoader(async (keys) => {
    const valid = keys.filter(isValidKey);
    const rows = valid.length > 0 ? await fetch([...new Set(valid)]) : [];
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** createKeyLoader for rows identified by a UUID `id`. */
export function createByIdLoader<Row extends { id: string }>(
  fetch: (ids: string[]) => Promise<Row[]>,
): DataLoader<string, Row | null> {
  return createKeyLoader(fetch, (row) => row.id);
}

/** A per-request loader for one-to-many lookups keyed by a parent id (e.g. reviews by product). */
export function createGroupLoader<Row>(
  fetch: (keys: string[]) => Promise<Row[]>,
  keyOf: (row: Row) => string,
): DataLoader<string, Row[]> {
  return new DataLoader(async (keys) => {
    const valid = keys.filter(isUuid);
    const rows = valid.length > 0 ? await fetch([...new Set(valid)]) : [];
    const groups = new Map<string, Row[]>();
    for (const row of rows) groups.set(keyOf(row), [...(groups.get(keyOf(row)) ?? []), row]);
    return keys.map((key) => groups.get(key) ?? []);
  });
}
