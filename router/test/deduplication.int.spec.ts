import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRouter, type RunningRouter } from '../src';
import { graphql, logger, registerCustomer, routerConfig, startSubgraphs } from './harness';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;

/** A pass-through proxy in front of a subgraph that counts the requests the router sends it. */
async function countingProxy(target: string) {
  let count = 0;
  const server = http.createServer((req, res) => {
    count += 1;
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    take: () => {
      const taken = count;
      count = 0;
      return taken;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('deduplication of identical in-flight queries', () => {
  let subgraphs: Subgraphs;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  const routers: RunningRouter[] = [];

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    proxy = await countingProxy(String(subgraphs.urls['users']));
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
    expect(proxy.take()).toBeLessThan(20);
  });

  it('never shares between identities, and never for mutations', async () => {
    const router = await routerWith(true);
    const shoppers = await Promise.all(Array.from({ length: 8 }, () => registerCustomer(router)));
    proxy.take();
    const answers = await Promise.all(shoppers.map((shopper) => graphql(router, ME, {}, shopper.token)));
    answers.forEach((answer, index) =>
      expect(answer.body.data?.me).toEqual({ id: shoppers[index]?.userId, email: shoppers[index]?.email }),
    );
    expect(proxy.take()).toBe(8);

    const rename = 'mutation { updateProfile(input: { name: "Same Name" }) { name } }';
    const renamed = await Promise.all(Array.from({ length: 6 }, () => graphql(router, rename, {}, shoppers[0]?.token)));
    expect(renamed.every((answer) => !answer.body.errors)).toBe(true);
    expect(proxy.take()).toBe(6);
  });

  it('runs every request when switched off', async () => {
    const router = await routerWith(false);
    const shopper = await registerCustomer(router);
    proxy.take();
    await Promise.all(Array.from({ length: 10 }, () => graphql(router, ME, {}, shopper.token)));
    expect(proxy.take()).toBe(10);
  });
});
