import { startRouter, type RunningRouter } from '../src';
import { graphql, logger, registerCustomer, routerConfig, startSubgraphs, subgraphProxy } from './harness';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;

/** Both kinds of sharing, counted at a proxy in front of the users subgraph. */
describe('deduplication', () => {
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

  /** A router with one kind of sharing as asked and the other off, so each is measured alone. */
  async function routerWith(sharing: { deduplicateQueries?: boolean; deduplicateSubgraphFetches?: boolean }) {
    const router = await startRouter(
      routerConfig(
        { ...subgraphs, urls: { ...subgraphs.urls, users: proxy.url } },
        { deduplicateQueries: false, deduplicateSubgraphFetches: false, ...sharing },
      ),
      logger,
    );
    routers.push(router);
    return router;
  }

  const ME = '{ me { id email } }';
  const many = <T>(count: number, request: (index: number) => Promise<T>) =>
    Promise.all(Array.from({ length: count }, (_, index) => request(index)));

  describe('of identical in-flight queries', () => {
    it('shares one execution among identical concurrent queries of one identity', async () => {
      const router = await routerWith({ deduplicateQueries: true });
      const shopper = await registerCustomer(router);
      proxy.take();
      const answers = await Promise.all(Array.from({ length: 20 }, () => graphql(router, ME, {}, shopper.token)));
      expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
      expect(answers[0]?.body.data?.me).toEqual({ id: shopper.userId, email: shopper.email });
      expect(proxy.take().length).toBeLessThan(20);
    });

    it('never shares between identities, and never for mutations', async () => {
      const router = await routerWith({ deduplicateQueries: true });
      const shoppers = await Promise.all(Array.from({ length: 8 }, () => registerCustomer(router)));
      proxy.take();
      const answers = await Promise.all(shoppers.map((shopper) => graphql(router, ME, {}, shopper.token)));
      answers.forEach((answer, index) =>
        expect(answer.body.data?.me).toEqual({ id: shoppers[index]?.userId, email: shoppers[index]?.email }),
      );
      expect(proxy.take().length).toBe(8);

      const rename = 'mutation { updateProfile(input: { name: "Same Name" }) { name } }';
      const renamed = await Promise.all(
        Array.from({ length: 6 }, () => graphql(router, rename, {}, shoppers[0]?.token)),
      );
      expect(renamed.every((answer) => !answer.body.errors)).toBe(true);
      expect(proxy.take().length).toBe(6);
    });

    it('runs every request when switched off', async () => {
      const router = await routerWith({ deduplicateQueries: false });
      const shopper = await registerCustomer(router);
      proxy.take();
      await Promise.all(Array.from({ length: 10 }, () => graphql(router, ME, {}, shopper.token)));
      expect(proxy.take().length).toBe(10);
    });
  });

  describe('of identical in-flight subgraph fetches', () => {
    it('shares one subgraph call among identical concurrent queries of one identity', async () => {
      const router = await routerWith({ deduplicateSubgraphFetches: true });
      const shopper = await registerCustomer(router);
      const { results, upstreamCalls } = await proxy.during(() =>
        many(12, () => graphql(router, ME, {}, shopper.token)),
      );
      for (const answer of results)
        expect(answer.body).toEqual({ data: { me: { id: shopper.userId, email: shopper.email } } });
      expect(upstreamCalls).toBeLessThan(12);
    }, 30_000);

    it('never shares between identities', async () => {
      const router = await routerWith({ deduplicateSubgraphFetches: true });
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
      const router = await routerWith({ deduplicateSubgraphFetches: true });
      const shopper = await registerCustomer(router);
      const rename = 'mutation { updateProfile(input: { name: "Same Name" }) { name } }';
      const { results, upstreamCalls } = await proxy.during(() =>
        many(5, () => graphql(router, rename, {}, shopper.token)),
      );
      for (const answer of results) expect(answer.body).toEqual({ data: { updateProfile: { name: 'Same Name' } } });
      expect(upstreamCalls).toBe(5);
    }, 30_000);

    it('calls the subgraph for every request when switched off', async () => {
      const router = await routerWith({ deduplicateSubgraphFetches: false });
      const shopper = await registerCustomer(router);
      const { upstreamCalls } = await proxy.during(() => many(8, () => graphql(router, ME, {}, shopper.token)));
      expect(upstreamCalls).toBe(8);
    }, 30_000);
  });

  describe('request ids', () => {
    it("answers with the caller's request id and forwards it to the subgraphs; replaces one that is not a token", async () => {
      const router = await routerWith({});
      const shopper = await registerCustomer(router);
      const send = (requestId: string) =>
        fetch(router.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${shopper.token}`,
            'x-request-id': requestId,
          },
          body: JSON.stringify({ query: ME }),
        });
      proxy.take();
      const given = await send('checkout-42.a');
      expect(given.headers.get('x-request-id')).toBe('checkout-42.a');
      expect(proxy.take().map((headers) => headers['x-request-id'])).toEqual(['checkout-42.a']);

      const replaced = await send('two words');
      const issued = replaced.headers.get('x-request-id');
      expect(issued).toMatch(/^[0-9a-f-]{36}$/);
      expect(proxy.take().map((headers) => headers['x-request-id'])).toEqual([issued]);
    });
  });
});
