import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { guardAccessDirectives } from './access-directives';
import type { Identity, Viewer } from './identity';

const schema = guardAccessDirectives(
  buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated", "@requiresScopes", "@policy"])
      type Query {
        open: String
        mine: String @authenticated
        stock: Int @requiresScopes(scopes: [["stock:write"], ["catalog:write", "users:manage"]])
        inventory: Int @policy(policies: [["inventory.read"]])
        secret: Secret
      }
      type Secret @authenticated { value: String }
    `),
    resolvers: {
      Query: { open: () => 'o', mine: () => 'm', stock: () => 1, inventory: () => 2, secret: () => ({ value: 's' }) },
    },
  }),
);

async function run(query: string, identity: Identity | null) {
  const viewer: Viewer | null = identity?.kind === 'user' ? identity.viewer : null;
  const result = await execute({ schema, document: parse(query), contextValue: { identity, viewer } });
  return {
    data: result.data,
    codes: (result.errors ?? []).map((error) => [error.path?.join('.'), error.extensions['code']]),
  };
}

const user = (scopes: string[]): Identity => ({ kind: 'user', viewer: { userId: 'u', roles: [], scopes } });

describe('access directives enforced in the subgraph', () => {
  it('refuses protected fields to a request without the router identity, public ones still answer', async () => {
    const result = await run('{ open mine stock inventory secret { value } }', null);
    expect(result.data).toEqual({ open: 'o', mine: null, stock: null, inventory: null, secret: { value: null } });
    expect(result.codes).toEqual([
      ['mine', 'UNAUTHENTICATED'],
      ['stock', 'UNAUTHENTICATED'],
      ['inventory', 'UNAUTHENTICATED'],
      ['secret.value', 'UNAUTHENTICATED'],
    ]);
  });

  it('checks scopes as OR of ANDs, and lets any routed identity reach @policy fields', async () => {
    expect((await run('{ stock }', user(['stock:write']))).data).toEqual({ stock: 1 });
    expect((await run('{ stock }', user(['catalog:write', 'users:manage']))).data).toEqual({ stock: 1 });
    expect((await run('{ stock }', user(['catalog:write']))).codes).toEqual([['stock', 'FORBIDDEN']]);
    expect((await run('{ inventory }', { kind: 'partner', clientId: 'c', manifestId: 'm' })).data).toEqual({
      inventory: 2,
    });
    expect((await run('{ mine }', { kind: 'anonymous' })).codes).toEqual([['mine', 'UNAUTHENTICATED']]);
  });
});
