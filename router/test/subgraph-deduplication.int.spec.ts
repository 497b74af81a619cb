import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRouter, type RunningRouter } from '../src';
import { graphql, logger, registerCustomer, routerConfig, startSubgraphs } from './harness';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;

/**
 * A pass-through proxy in front of a subgraph that counts the requests the router sends it and holds
 * them until `release`, so that concurrent client requests are all in flight at the router together.
 */
async function holdingProxy(target: string) {
  let count = 0;
  let holding: { held: (() => void)[]; firstArrived: () => void } | null = null;
  const server = http.createServer((req, res) => {
    const forward = () => {
      const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    };
    count += 1;
    if (!holding) return forward();
    holding.held.push(forward);
    holding.firstArrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    /** Runs `requests`, releasing the held subgraph calls once the first arrived and the rest had time to follow. */
    during: async <T>(requests: () => Promise<T>): Promise<{ results: T; upstreamCalls: number }> => {
      const held: (() => void)[] = [];
      const arrived = new Promise<void>((resolve) => (holding = { held, firstArrived: resolve }));
      count = 0;
      const running = requests();
      await arrived;
      await new Promise((resolve) => setTimeout(resolve, 500));
      holding = null;
      held.forEach((forward) => forward());
      const results = await running;
      return { results, upstreamCalls: count };
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('deduplication of identical in-flight subgraph fetches', () => {
  let subgraphs: Subgraphs;
  let proxy: Awaited<ReturnType<typeof holdingProxy>>;
  const routers: RunningRouter[] = [];

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    proxy = await holdingProxy(String(subgraphs.urls['users']));
  }, 30_000);

  afterAll(async () => {
    for (const router of routers) await router.stop();
    await proxy?.close();
    await subgraphs?.stop();
  });

  // Query-level sharing is off: what is shared here is shared by the subgraph fetcher alone.
  async function routerWith(deduplicateSubgraphFetches: boolean): Promise<RunningRouter> {
    const router = await startRouter(
      routerConfig(
        { ...subgraphs, urls: { ...subgraphs.urls, users: proxy.url } },
        { deduplicateQueries: false, deduplicateSubgraphFetches },
      ),
      logger,
    );
    routers.push(router);
    return router;
  }

  const ME = '{ me { id email } }';
  const many = <T>(count: number, request: (index: number) => Promise<T>) =>
    Promise.all(Array.from({ length: count }, (_, index) => request(index)));

  it('shares one subgraph call among identical concurrent queries of one identity', async () => {
    const router = await routerWith(true);
    const shopper = await registerCustomer(router);
    const { results, upstreamCalls } = await proxy.during(() => many(12, () => graphql(router, ME, {}, shopper.token)));
    for (const answer of results)
      expect(answer.body).toEqual({ data: { me: { id: shopper.userId, email: shopper.email } } });
    expect(upstreamCalls).toBeLessThan(12);
  }, 30_000);

  it('never shares between identities', async () => {
    const router = await routerWith(true);
    const shoppers = await many(6, () => registerCustomer(router));
    const { results, upstreamCalls } = await proxy.during(() =>
      many(6, (index) => graphql(router, ME, {}, shoppers[index]?.token)),
    );
    results.forEach((answer, index) =>
      expect(answer.body.data?.me).toEqual({ id: shoppers[index]?.userId, email: shoppers[index]?.email }),
    );
    expect(upstreamCalls).toBe(6);
  }, 30_000);

  it('never shares mutations', async () => {
    const router = await routerWith(true);
    const shopper = await registerCustomer(router);
    const rename = 'mutation { updateProfile(input: { name: "Same Name" }) { name } }';
    const { results, upstreamCalls } = await proxy.during(() =>
      many(5, () => graphql(router, rename, {}, shopper.token)),
    );
    for (const answer of results) expect(answer.body).toEqual({ data: { updateProfile: { name: 'Same Name' } } });
    expect(upstreamCalls).toBe(5);
  }, 30_000);

  it('calls the subgraph for every request when switched off', async () => {
    const router = await routerWith(false);
    const shopper = await registerCustomer(router);
    const { upstreamCalls } = await proxy.during(() => many(8, () => graphql(router, ME, {}, shopper.token)));
    expect(upstreamCalls).toBe(8);
  }, 30_000);
});
