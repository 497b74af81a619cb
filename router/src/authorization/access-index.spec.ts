import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readAccessIndex, requirementsAt } from './access-index';
import { composeTestSupergraph } from './test-supergraph';

const linked = (links: string, types: string) => `
  schema @link(url: "https://specs.apollo.dev/link/v1.0") ${links} { query: Query }
  ${types}`;

describe('readAccessIndex', () => {
  const index = readAccessIndex(composeTestSupergraph());

  it('reads each directive by coordinate, under the name its @link gives it', () => {
    expect(requirementsAt(index, 'Query.me')).toEqual({ authenticated: true, scopes: [], policies: [] });
    expect(requirementsAt(index, 'Query.adminStats').scopes).toEqual([[['admin:read', 'stats:read'], ['root']]]);
    expect(requirementsAt(index, 'Supplier').policies).toEqual([[['supplier.read'], ['admin']]]);
    expect(requirementsAt(index, 'User.email').policies).toEqual([[['self', 'pii']]]);
    expect(requirementsAt(index, 'Product.stock').policies).toEqual([[['inventory.read']]]);
    expect(requirementsAt(index, 'Secret').scopes).toEqual([[['secret']]]);
    expect(requirementsAt(index, 'Level').authenticated).toBe(true);
    expect(index.byCoordinate.has('Product.name')).toBe(false);
    expect(index.byCoordinate.has('Product')).toBe(false);
  });

  it('sees what composition copied from implementations onto interfaces', () => {
    expect(requirementsAt(index, 'Post').authenticated).toBe(true);
    expect(requirementsAt(index, 'Media.url').policies).toEqual([[['video.watch']]]);
  });

  it('honours a renamed namespace and ignores look-alike directives that are not linked', () => {
    const sdl = linked(
      '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY)',
      `directive @scopes(scopes: [[String!]!]!) on FIELD_DEFINITION
       directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION
       directive @authenticated on FIELD_DEFINITION
       type Query { a: Int @scopes(scopes: [["x"]]) b: Int @requiresScopes(scopes: [["y"]]) @authenticated }`,
    );
    const renamed = readAccessIndex(sdl);
    expect(requirementsAt(renamed, 'Query.a').scopes).toEqual([[['x']]]);
    expect(renamed.byCoordinate.has('Query.b')).toBe(false);
  });

  it('refuses what it cannot enforce: an unknown spec version or a malformed argument', () => {
    expect(() =>
      readAccessIndex(
        linked('@link(url: "https://specs.apollo.dev/policy/v0.2", for: SECURITY)', 'type Query { a: Int }'),
      ),
    ).toThrow(/unsupported authorization spec .*policy\/v0\.2/);
    expect(() =>
      readAccessIndex(
        linked(
          '@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
          'type Query { a: Int @policy(policies: ["flat"]) }',
        ),
      ),
    ).toThrow('Query.a: @policy(policies:) must be a list of lists of strings');
  });

  it('reads the repository supergraph', () => {
    const repoIndex = readAccessIndex(readFileSync(path.join(__dirname, '../../../schema/supergraph.graphql'), 'utf8'));
    expect(requirementsAt(repoIndex, 'Product.available').policies).toEqual([[['inventory.read']]]);
    expect(requirementsAt(repoIndex, 'Mutation.createProduct').scopes).toEqual([[['catalog:write']]]);
    expect(requirementsAt(repoIndex, 'Query.me').authenticated).toBe(true);
    expect(requirementsAt(repoIndex, 'Order').authenticated).toBe(true);
  });
});
