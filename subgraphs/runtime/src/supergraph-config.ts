import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/** The repository root (this file lives at subgraphs/runtime/src). */
export const repoRoot = path.resolve(__dirname, '../../..');

const supergraphYaml = z.object({
  federation_version: z.string().optional(),
  subgraphs: z.record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, 'subgraph names are lowercase identifiers'),
    z.object({ routing_url: z.url(), schema: z.object({ file: z.string() }) }),
  ),
});

export interface SubgraphEntry {
  name: string;
  routingUrl: string;
  /** Absolute path of the subgraph's SDL file. */
  schemaFile: string;
}

/** Reads supergraph.yaml (rover's composition config format): subgraph name -> routing URL + SDL file. */
export function readSupergraphConfig(file = path.join(repoRoot, 'supergraph.yaml')): SubgraphEntry[] {
  const parsed = supergraphYaml.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return Object.entries(parsed.data.subgraphs).map(([name, entry]) => ({
    name,
    routingUrl: entry.routing_url,
    schemaFile: path.resolve(path.dirname(file), entry.schema.file),
  }));
}

/** A subgraph's routing URL in supergraph.yaml: the default for reaching it from another subgraph. */
export function subgraphRoutingUrl(name: string): string {
  const entry = readSupergraphConfig().find((subgraph) => subgraph.name === name);
  if (!entry) throw new Error(`subgraph ${name} is not listed in supergraph.yaml`);
  return entry.routingUrl;
}

/** The port a subgraph listens on by default: the one in its routing URL. */
export function defaultSubgraphPort(name: string): number {
  return Number(new URL(subgraphRoutingUrl(name)).port);
}
