// `npm run schema:breaking -- --base <git revision>`: compares the API schema clients see (of
// schema/supergraph.graphql) at that revision with the working tree's, using @graphql-inspector/core.
// Prints every change; exits 1 when one would break existing clients, 0 otherwise.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { repoRoot } from '@minishop/runtime';
import { apiSchemaOf, committedApiSchema } from './api-schema';

export const isBreaking = (change: Change) => change.criticality.level === CriticalityLevel.Breaking;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { base: { type: 'string' } }, strict: true });
  if (!values.base) throw new Error('usage: npm run schema:breaking -- --base <git revision>');
  const baseSdl = execFileSync('git', ['show', `${values.base}:schema/supergraph.graphql`], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const changes = await diff(apiSchemaOf(baseSdl), committedApiSchema());
  const breaking = changes.filter(isBreaking);
  for (const change of changes) {
    process.stdout.write(`${isBreaking(change) ? 'BREAKING' : change.criticality.level}  ${change.message}\n`);
  }
  process.stdout.write(
    `${changes.length} change(s) to the API schema since ${values.base}, ${breaking.length} breaking\n`,
  );
  return breaking.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`schema:breaking: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
