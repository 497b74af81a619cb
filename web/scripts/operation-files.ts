import { readdirSync } from 'node:fs';
import path from 'node:path';

const WEB_DIR = path.resolve(__dirname, '..');
export const OPERATIONS_DIR = path.join(WEB_DIR, 'operations');
export const WEB_MANIFEST = path.resolve(WEB_DIR, '../schema/persisted-queries/web.json');
export const GENERATED_FILE = path.join(WEB_DIR, 'src/graphql/generated.ts');

/** Every `.graphql` file under web/operations, sorted. */
export function operationFiles(): string[] {
  return readdirSync(OPERATIONS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => path.join(OPERATIONS_DIR, name));
}
