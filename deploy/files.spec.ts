// Every configuration file under deploy/ and .github/ parses: YAML (each document of a multi-document
// file, duplicate keys refused) and JSON.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '@minishop/runtime';

const files = globSync(['deploy/**/*.{yaml,yml,json}', '.github/**/*.{yaml,yml}'], { cwd: repoRoot, dot: true });

describe('configuration files', () => {
  it('finds the compose file, the manifests, the observability configs and the workflows', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'deploy/docker-compose.yml',
        'deploy/k8s/base/kustomization.yaml',
        'deploy/observability/prometheus.yaml',
        'deploy/opa/bundle/minishop/data.json',
        '.github/workflows/ci.yml',
        '.github/workflows/deploy.yml',
      ]),
    );
  });

  it.each(files)('%s parses', (file) => {
    const text = readFileSync(path.join(repoRoot, file), 'utf8');
    if (file.endsWith('.json')) {
      expect(() => JSON.parse(text)).not.toThrow();
      return;
    }
    const documents = parseAllDocuments(text, { uniqueKeys: true, merge: true });
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(document.errors.map((error) => error.message)).toEqual([]);
  });
});
