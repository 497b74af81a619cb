import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@minishop/runtime';
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { loadManifests, sha256Hex, type Manifest } from '../router/src/persisted';
import { committedApiSchema } from './api-schema';

const MANIFESTS_DIR = path.join(repoRoot, 'schema/persisted-queries');
const WEB_CONFIG = path.join(repoRoot, 'web/persisted-query-manifest.config.json');

const apiSchema = committedApiSchema();

const manifests = loadManifests(MANIFESTS_DIR);
const all: [string, Manifest][] = [
  ['web', manifests.web],
  ...[...manifests.partners].map(([manifestId, manifest]): [string, Manifest] => [`partners/${manifestId}`, manifest]),
];

describe.each(all)('persisted query manifest %s', (_label, manifest) => {
  const operations = [...manifest.operations.values()];

  it('lists operations, each name once', () => {
    expect(operations.length).toBeGreaterThan(0);
    const names = operations.map((operation) => operation.name);
    expect(names).toEqual([...new Set(names)]);
  });

  it.each(operations.map((operation) => [operation.name, operation] as const))(
    '%s is its sha256 id, parses to that one named operation and validates against the API schema',
    (_name, operation) => {
      expect(operation.id).toBe(sha256Hex(operation.body));
      const document = parse(operation.body);
      expect(validate(apiSchema, document).map((error) => error.message)).toEqual([]);
      const definitions = document.definitions.filter(
        (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
      );
      expect(definitions.map((definition) => [definition.name?.value, definition.operation])).toEqual([
        [operation.name, operation.type],
      ]);
    },
  );
});

describe('partner manifests', () => {
  it('exist for the partners the router knows (acme-feed, price-compare)', () => {
    expect([...manifests.partners.keys()]).toEqual(expect.arrayContaining(['acme-feed', 'price-compare']));
  });

  it('give price-compare prices but no stock units', () => {
    const bodies = [...(manifests.partners.get('price-compare')?.operations.values() ?? [])].map((op) => op.body);
    expect(bodies.join('\n')).toMatch(/\bprice\b/);
    expect(bodies.join('\n')).not.toMatch(/\bavailable\b/);
  });
});

describe('the web manifest', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'minishop-pq-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is what the generator makes of web/operations (run `npm run manifest:web` when this fails)', () => {
    const config = JSON.parse(readFileSync(WEB_CONFIG, 'utf8')) as Record<string, unknown>;
    const output = path.join(dir, 'web.json');
    const configFile = path.join(dir, 'persisted-query-manifest.config.json');
    writeFileSync(configFile, JSON.stringify({ ...config, output }));
    const cli = require.resolve('@apollo/generate-persisted-query-manifest/cli.js');
    execFileSync(process.execPath, [cli, '--config', configFile], { cwd: repoRoot, stdio: 'pipe' });
    const committed: unknown = JSON.parse(readFileSync(path.join(MANIFESTS_DIR, 'web.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(readFileSync(output, 'utf8')));
  });
});
