import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

let committed: GraphQLSchema | undefined;

/**
 * For checks and tests: the API schema clients see (what the gateway serves and the router
 * validates against) of the committed schema/supergraph.graphql. `supportedFeatures: null` accepts
 * the security features the router enforces itself.
 */
export function committedApiSchema(): GraphQLSchema {
  committed ??= apiSchemaOf(readFileSync(path.join(__dirname, 'supergraph.graphql'), 'utf8'));
  return committed;
}

/** The API schema of a supergraph SDL. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
}
