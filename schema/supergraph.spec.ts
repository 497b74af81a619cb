import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeSupergraph, SUPERGRAPH_PATH } from './compose-supergraph';

describe('supergraph composition', () => {
  it('the committed supergraph matches a fresh composition (run `npm run compose` when this fails)', () => {
    const result = composeSupergraph();
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(result.supergraphSdl);
  });

  describe('with broken subgraphs', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'minishop-compose-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const write = (name: string, content: string) => writeFileSync(path.join(dir, name), content);
    const config = (files: Record<string, string>) => {
      const entries = Object.entries(files).map(([name, sdl], index) => {
        write(`${name}.graphql`, sdl);
        return `  ${name}:\n    routing_url: http://127.0.0.1:${5000 + index}/graphql\n    schema:\n      file: ./${name}.graphql\n`;
      });
      write('supergraph.yaml', `subgraphs:\n${entries.join('')}`);
      return path.join(dir, 'supergraph.yaml');
    };
    const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])\n';

    it('reports conflicting field types with their composition codes', () => {
      const result = composeSupergraph(
        config({
          a: `${link}type Product @key(fields: "id") { id: ID! price: Int! } type Query { a: Product }`,
          b: `${link}type Product @key(fields: "id") { id: ID! price: String! } type Query { b: Product }`,
        }),
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.join('\n')).toMatch(/\[FIELD_TYPE_MISMATCH\].*Product\.price/);
    });

    it('names the file of a subgraph SDL that does not parse', () => {
      const result = composeSupergraph(config({ broken: 'type Query { a: }' }));
      expect(result).toEqual({ ok: false, errors: [expect.stringMatching(/broken\.graphql: Syntax Error/)] });
    });
  });
});
