import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { scopesFor } from '@minishop/users';
import { committedApiSchema } from '../../../schema/api-schema';
import type { Caller } from '../caller';
import { loadManifests } from '../persisted';
import { embeddedDecisionPoint, policyInputFor } from '../policy';
import { analyzeOperation, authorizeOperation, grantsFor, readAccessIndex } from '.';

// The web app's operations ask only for what their users may see: the router removes nothing from a
// storefront operation run by a customer, nor from an admin operation run by an admin.
const repo = path.resolve(__dirname, '../../..');
const apiSchema = committedApiSchema();
const access = readAccessIndex(readFileSync(path.join(repo, 'schema/supergraph.graphql'), 'utf8'));
const web = loadManifests(path.join(repo, 'schema/persisted-queries')).web;

/** The names of the operations defined in web/operations/<folder>. */
function operationNames(folder: string): string[] {
  const dir = path.join(repo, 'web/operations', folder);
  return readdirSync(dir).flatMap((file) =>
    parse(readFileSync(path.join(dir, file), 'utf8'))
      .definitions.filter(
        (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
      )
      .map((operation) => String(operation.name?.value)),
  );
}

async function removedFields(name: string, caller: Caller) {
  const operation = [...web.operations.values()].find((candidate) => candidate.name === name);
  if (!operation) throw new Error(`${name} is not in web.json: run npm run manifest:web`);
  const document = parse(operation.body);
  const analysis = analyzeOperation(apiSchema, access, document, name);
  const decisions = await embeddedDecisionPoint().decide(
    policyInputFor(caller, { name, type: operation.type }, analysis.policies),
  );
  return authorizeOperation(analysis, grantsFor(caller, decisions)).errors.map((error) => error.path?.join('.'));
}

const userWith = (roles: ('customer' | 'admin')[]): Caller => ({
  kind: 'user',
  userId: randomUUID(),
  roles,
  scopes: scopesFor(roles),
});

describe('web operations and authorization', () => {
  it.each(operationNames('storefront'))('storefront %s loses no field for a customer', async (name) => {
    expect(await removedFields(name, userWith(['customer']))).toEqual([]);
  });

  it.each(operationNames('admin'))('admin %s loses no field for an admin', async (name) => {
    expect(await removedFields(name, userWith(['admin']))).toEqual([]);
  });
});
