import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

let schema: GraphQLSchema | undefined;

/**
 * For tests: the API schema clients see (what the gateway serves) of the committed supergraph.
 * `supportedFeatures: null` accepts every linked feature, as the router does after handling them.
 */
export function testApiSchema(): GraphQLSchema {
  schema ??= Supergraph.build(readFileSync(path.resolve(__dirname, '../../../schema/supergraph.graphql'), 'utf8'), {
    supportedFeatures: null,
  })
    .apiSchema()
    .toGraphQLJSSchema();
  return schema;
}
