import { parse } from 'graphql';
import { createLogger } from './logger';
import { serveSubgraph, type BaseContext, type SubgraphDefinition } from './subgraph';

const logger = createLogger('test', 'silent');
const anonymous = { verify: async () => null };

function slowSubgraph(release: Promise<void>): SubgraphDefinition<BaseContext> {
  return {
    name: 'slow',
    typeDefs: parse('type Query { slow: String! fails: String! }'),
    resolvers: {
      Query: {
        slow: async () => {
          await release;
          return 'done';
        },
        fails: () => {
          throw new Error('connection refused at db.internal:5432');
        },
      },
    },
    createContext: (base) => base,
    ready: async () => undefined,
  };
}

const query = (url: string, text: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text }),
  });

describe('serveSubgraph', () => {
  it('masks unexpected resolver errors', async () => {
    const subgraph = await serveSubgraph(slowSubgraph(Promise.resolve()), { port: 0, logger, identity: anonymous });
    try {
      const body = (await (await query(subgraph.url, '{ fails }')).json()) as { errors: unknown };
      expect(body.errors).toEqual([
        {
          message: 'Internal server error',
          path: ['fails'],
          locations: [{ line: 1, column: 3 }],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
    } finally {
      await subgraph.stop();
    }
  });

  it('finishes in-flight requests on stop and then refuses new connections', async () => {
    let release = () => {};
    const subgraph = await serveSubgraph(slowSubgraph(new Promise<void>((resolve) => (release = resolve))), {
      port: 0,
      logger,
      identity: anonymous,
    });
    const inFlight = query(subgraph.url, '{ slow }');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = subgraph.stop();
    setTimeout(release, 200);
    const response = await inFlight;
    expect(await response.json()).toEqual({ data: { slow: 'done' } });
    await stopped;
    await expect(query(subgraph.url, '{ slow }')).rejects.toThrow();
  });
});
