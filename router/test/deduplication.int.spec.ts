import { startRouter, type RunningRouter } from '../src';
import { graphql, logger, registerCustomer, routerConfig, startSubgraphs, subgraphProxy } from './harness';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;

describe('deduplication of identical in-flight queries', () => {
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

  async function routerWith(deduplicateQueries: boolean): Promise<RunningRouter> {
    const router = await startRouter(
      routerConfig(
        { ...subgraphs, urls: { ...subgraphs.urls, users: proxy.url } },
        // Subgraph fetch sharing off: what is shared here is shared by query deduplication alone.
        { deduplicateQueries, deduplicateSubgraphFetches: false },
      ),
      logger,
    );
    routers.push(router);
    return router;
  }

  const ME = '{ me { id email } }';

  it('shares one execution among identical concurrent queries of one identity', async () => {
    const router = await routerWith(true);
    const shopper = await registerCustomer(router);
    proxy.take();
    const answers = await Promise.all(Array.from({ length: 20 }, () => graphql(router, ME, {}, shopper.token)));
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect(answers[0]?.body.data?.me).toEqual({ id: shopper.userId, email: shopper.email });
    expect(proxy.take().length).toBeLessThan(20);
  });

  it('never shares between identities, and never for mutations', async () => {
    const router = await routerWith(true);
    const shoppers = await Promise.all(Array.from({ length: 8 }, () => registerCustomer(router)));
    proxy.take();
    const answers = await Promise.all(shoppers.map((shopper) => graphql(router, ME, {}, shopper.token)));
    answers.forEach((answer, index) =>
      expect(answer.body.data?.me).toEqual({ id: shoppers[index]?.userId, email: shoppers[index]?.email }),
    );
    expect(proxy.take().length).toBe(8);

    const rename = 'mutation { updateProfile(input: { name: "Same Name" }) { name } }';
    const renamed = await Promise.all(Array.from({ length: 6 }, () => graphql(router, rename, {}, shoppers[0]?.token)));
    expect(renamed.every((answer) => !answer.body.errors)).toBe(true);
    expect(proxy.take().length).toBe(6);
  });

  it('runs every request when switched off', async () => {
    const router = await routerWith(false);
    const shopper = await registerCustomer(router);
    proxy.take();
    await Promise.all(Array.from({ length: 10 }, () => graphql(router, ME, {}, shopper.token)));
    expect(proxy.take().length).toBe(10);
  });
});
