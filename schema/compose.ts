// Writes schema/supergraph.graphql from supergraph.yaml, or with --check fails when it is stale.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@minishop/runtime';
import { composeSupergraph, SUPERGRAPH_PATH } from './compose-supergraph';

const check = process.argv.includes('--check');
const result = composeSupergraph();
const target = path.relative(repoRoot, SUPERGRAPH_PATH);

if (!result.ok) {
  process.stderr.write(`composition failed with ${result.errors.length} error(s):\n`);
  for (const error of result.errors) process.stderr.write(`  - ${error}\n`);
  process.exit(1);
}
const current = existsSync(SUPERGRAPH_PATH) ? readFileSync(SUPERGRAPH_PATH, 'utf8') : '';
if (check) {
  if (current !== result.supergraphSdl) {
    process.stderr.write(`${target} is stale: run \`npm run compose\` and commit the result\n`);
    process.exit(1);
  }
  process.stdout.write(`${target} is up to date\n`);
} else {
  if (current !== result.supergraphSdl) writeFileSync(SUPERGRAPH_PATH, result.supergraphSdl);
  process.stdout.write(
    `${current === result.supergraphSdl ? 'unchanged' : 'wrote'} ${target} (${result.hints.length} composition hint(s))\n`,
  );
}
