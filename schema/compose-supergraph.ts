import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { readSupergraphConfig, repoRoot } from '@minishop/runtime';
import { parse } from 'graphql';

export const SUPERGRAPH_PATH = path.join(repoRoot, 'schema/supergraph.graphql');

export type CompositionResult = { ok: true; supergraphSdl: string; hints: string[] } | { ok: false; errors: string[] };

/** Composes the subgraphs listed in supergraph.yaml (rover's format) with @apollo/composition. */
export function composeSupergraph(configFile = path.join(repoRoot, 'supergraph.yaml')): CompositionResult {
  const services = [];
  for (const subgraph of readSupergraphConfig(configFile)) {
    const sdl = readFileSync(subgraph.schemaFile, 'utf8');
    try {
      services.push({ name: subgraph.name, url: subgraph.routingUrl, typeDefs: parse(sdl) });
    } catch (error) {
      const relative = path.relative(repoRoot, subgraph.schemaFile);
      return { ok: false, errors: [`${relative}: ${error instanceof Error ? error.message : String(error)}`] };
    }
  }
  const result = composeServices(services);
  if (result.errors) {
    return {
      ok: false,
      errors: result.errors.map((error) => `[${String(error.extensions['code'] ?? 'ERROR')}] ${error.message}`),
    };
  }
  return {
    ok: true,
    supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`,
    hints: result.hints.map((hint) => hint.toString()),
  };
}
