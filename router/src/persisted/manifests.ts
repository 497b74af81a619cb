import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** One operation of a manifest in Apollo's persisted-query-list format. */
export interface ManifestOperation {
  /** sha256 hex of `body`, as @apollo/generate-persisted-query-manifest computes it. */
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export interface Manifest {
  /** The file it was read from (errors and logs name it). */
  file: string;
  /** Operations by id. */
  operations: ReadonlyMap<string, ManifestOperation>;
}

/** The web app's manifest and one per partner, keyed by the partner client's `manifestId`. */
export interface Manifests {
  web: Manifest;
  partners: ReadonlyMap<string, Manifest>;
}

/** Thrown at start when a manifest cannot be used; names every bad file and what is wrong with it. */
export class ManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid persisted query manifests:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

export const WEB_MANIFEST_FILE = 'web.json';
export const PARTNER_MANIFESTS_DIR = 'partners';
// Same rule as a partner client's manifestId in the users subgraph: a file name can name a client.
const MANIFEST_ID = /^[a-z0-9][a-z0-9-]{1,99}$/;

const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads and validates one manifest file; problems are appended to `problems`, prefixed with the file. */
function readManifest(file: string, problems: string[]): Manifest {
  const operations = new Map<string, ManifestOperation>();
  const fail = (problem: string) => problems.push(`${file}: ${problem}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    return { file, operations };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) fail(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return { file, operations };
  }
  parsed.data.operations.forEach((operation, index) => {
    const at = `operations.${index} (${operation.name})`;
    const sha256 = sha256Hex(operation.body);
    if (operation.id !== sha256) fail(`${at}: id is not the sha256 of its body (${sha256})`);
    else if (operations.has(operation.id)) fail(`${at}: duplicate id ${operation.id}`);
    else operations.set(operation.id, operation);
  });
  return { file, operations };
}

/**
 * Loads `<dir>/web.json` and every `<dir>/partners/<manifestId>.json` once, at start. Throws a
 * ManifestError naming each bad file (unreadable, not the persisted-query-list format, an id that is
 * not the sha256 of its body, a duplicate id, a file name that cannot be a manifestId).
 */
export function loadManifests(dir: string): Manifests {
  const problems: string[] = [];
  const web = readManifest(path.join(dir, WEB_MANIFEST_FILE), problems);
  const partners = new Map<string, Manifest>();
  const partnersDir = path.join(dir, PARTNER_MANIFESTS_DIR);
  const files = existsSync(partnersDir) ? readdirSync(partnersDir).filter((name) => name.endsWith('.json')) : [];
  for (const name of files.sort()) {
    const file = path.join(partnersDir, name);
    const manifestId = name.slice(0, -'.json'.length);
    if (!MANIFEST_ID.test(manifestId)) {
      problems.push(`${file}: the file name must be a manifestId (lower-case letters, digits and dashes)`);
      continue;
    }
    partners.set(manifestId, readManifest(file, problems));
  }
  if (problems.length > 0) throw new ManifestError(problems);
  return { web, partners };
}
