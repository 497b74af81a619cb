import { startRouter, type RunningRouter } from '../src';
import { graphql, logger, registerCustomer, routerConfig, startSubgraphs, subgraphProxy } from './harness';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;

describe('deduplication of identical in-flight subgraph fetches', () => {
  let subgraphs: Subgraphs;
  let proxy: Awaited<ReturnType<typeof subgraphProxy>>;
  const routers: RunningRouter[] = [];

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    proxy = await subgraphProxy(String(subgraphs.urls['users']));
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
