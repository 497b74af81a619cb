import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { readAccessIndex } from './access-index';
import { stripSecurityPurpose } from './strip-security-purpose';
import { composeTestSupergraph } from './test-supergraph';

describe('stripSecurityPurpose', () => {
  const supergraphSdl = composeTestSupergraph();
  const stripped = stripSecurityPurpose(supergraphSdl);

  it('removes `for: SECURITY` from the three authorization links only, leaving every other character', () => {
    const expected = supergraphSdl
      .replace(
        '@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
        '@link(url: "https://specs.apollo.dev/policy/v0.1")',
      )
      .replace('requiresScopes/v0.1", for: SECURITY)', 'requiresScopes/v0.1")')
      .replace('authenticated/v0.1", for: SECURITY, import:', 'authenticated/v0.1", import:');
    expect(expected).not.toBe(supergraphSdl);
    expect(stripped).toBe(expected);
    expect(stripped).toContain('@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)');
    expect(readAccessIndex(stripped)).toEqual(readAccessIndex(supergraphSdl));
  });

  it('handles `for` as the first argument', () => {
    const sdl =
      'schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(for: SECURITY, url: "https://specs.apollo.dev/authenticated/v0.1") { query: Query }';
    expect(stripSecurityPurpose(sdl)).toBe(
      'schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/authenticated/v0.1") { query: Query }',
    );
  });

  it('makes a supergraph the gateway refuses into one it loads', async () => {
    await expect(new ApolloGateway({ supergraphSdl }).load()).rejects.toThrow(
      /authenticated\/v0\.1 is for: SECURITY but is unsupported/,
    );
    const gateway = new ApolloGateway({ supergraphSdl: stripped });
    try {
      const { schema } = await gateway.load();
      expect(schema.getQueryType()?.getFields()).toHaveProperty('me');
      expect(schema.getQueryType()?.getFields()).not.toHaveProperty('internal'); // @inaccessible still applied
    } finally {
      await gateway.stop();
    }
  });

  it('makes the repository supergraph loadable', async () => {
    const repoSdl = readFileSync(path.join(__dirname, '../../../schema/supergraph.graphql'), 'utf8');
    const gateway = new ApolloGateway({ supergraphSdl: stripSecurityPurpose(repoSdl) });
    try {
      expect((await gateway.load()).schema.getQueryType()?.getFields()).toHaveProperty('me');
    } finally {
      await gateway.stop();
    }
  });
});
