// @policy decisions asked of an OPA decision point over its REST Data API, through the real router
// and subgraphs: one decision request per operation, and deny whenever the decision point fails.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@minishop/runtime';
import { startRouter, type RunningRouter } from '../src';
import { embeddedDecisionPoint, type PolicyInput } from '../src/policy';
import { graphql, logger, loginAs, registerCustomer, routerConfig, SEEDED_LOGINS, startSubgraphs } from './harness';
import { byId, errorsOf, partnerClients, post, productFixtures } from './security-fixtures';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;
type Reply = { status: number; body: unknown } | 'never';

/**
 * An HTTP server in the decision point's place that records what the router asks and answers with
 * `reply` ('never': keeps the request open).
 */
async function decisionServer(reply: (input: PolicyInput) => Promise<Reply>) {
  const requests: { method?: string; url?: string; input: PolicyInput }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { input } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: PolicyInput };
      requests.push({ method: req.method, url: req.url, input });
      void reply(input).then((answer) => {
        if (answer === 'never') return;
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    take: () => requests.splice(0),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const INVENTORY = `query Inventory($word: String!) {
  products(filter: { search: $word }) { edges { node { name available inStock } } }
}`;
const ADMIN_SCOPES = ['catalog:write', 'coupons:write', 'orders:manage', 'stock:write', 'users:manage'];
// The real acme-feed manifest's AcmeProduct (schema/persisted-queries/partners/acme-feed.json).
const ACME_PRODUCT = '859d8bb7b06fda9d0ed8c1f2b1fa4699324ed222dda25d2884b2b7e9208e9a8f';

describe('@policy decisions from an OPA decision point', () => {
  let subgraphs: Subgraphs;
  let router: RunningRouter;
  let adminToken: string;
  let adminId: string;
  let product: Awaited<ReturnType<ReturnType<typeof productFixtures>['create']>>;
  let partners: ReturnType<typeof partnerClients>;
  let products: ReturnType<typeof productFixtures>;
  const userIds: string[] = [];

  /**
   * A router asking the decision server at `opaUrl`; no decision cache, so every operation asks. Its
   * warnings ("policy decision failed") are what the failure cases expect: not printed.
   */
  const opaRouter = (opaUrl: string) =>
    startRouter(
      routerConfig(subgraphs, { policy: { decisionPoint: 'opa', opaUrl, timeoutMs: 100, cacheTtlMs: 0 } }),
      createLogger('test', 'error'),
    );

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    router = await startRouter(routerConfig(subgraphs), logger);
    partners = partnerClients(subgraphs.prisma);
    products = productFixtures(subgraphs.prisma);
    product = await products.create({ stock: 7, reserved: 2 });
    adminToken = await loginAs(router, 'admin');
    adminId = (await subgraphs.prisma.user.findUniqueOrThrow({ where: { email: SEEDED_LOGINS.admin.email } })).id;
  }, 60_000);

  afterAll(async () => {
    if (subgraphs) {
      await partners.dispose();
      await products.dispose();
      await subgraphs.prisma.user.deleteMany({ where: { id: { in: userIds } } });
    }
    await router?.stop();
    await subgraphs?.stop();
  });

  it.each<[string, Reply]>([
    ['never answers', 'never'],
    ['answers HTTP 500', { status: 500, body: { code: 'internal_error' } }],
    ['answers without a result (undefined rule)', { status: 200, body: {} }],
    ['answers a non-boolean decision', { status: 200, body: { result: { 'inventory.read': 'true' } } }],
  ])('denies @policy fields, even to an admin, when the decision point %s; the rest runs', async (_case, reply) => {
    const opa = await decisionServer(() => Promise.resolve(reply));
    const guarded = await opaRouter(opa.url);
    try {
      const { status, body } = await graphql(guarded, INVENTORY, { word: product.word }, adminToken);
      expect(status).toBe(200);
      expect(body.data).toEqual({ products: { edges: [{ node: { name: product.name, inStock: true } }] } });
      expect(errorsOf(body)).toEqual([{ path: ['products', 'edges', 'node', 'available'], code: 'FORBIDDEN' }]);
      expect(opa.take()).toHaveLength(1); // it was asked, and its failure denied
    } finally {
      await guarded.stop();
      await opa.close();
    }
  });

  describe("with a server speaking OPA's Data API", () => {
    // OPA itself is not installed here (and tests download nothing). The embedded decision point is
    // proven equivalent to the Rego by the shared decision table (router/src/policy/decision-table.spec.ts
    // and `opa test` in deploy/opa), so answering with it tests the router's side of the wire: the
    // request it sends, one per operation, and how it reads the answer.
    const embedded = embeddedDecisionPoint();
    let opa: Awaited<ReturnType<typeof decisionServer>>;
    let opaRouted: RunningRouter;

    beforeAll(async () => {
      opa = await decisionServer(async (input) => ({ status: 200, body: { result: await embedded.decide(input) } }));
      opaRouted = await opaRouter(opa.url);
    }, 60_000);

    afterAll(async () => {
      await opaRouted?.stop();
      await opa?.close();
    });

    const decisionRequest = (input: Partial<PolicyInput>) => ({
      method: 'POST',
      url: '/v1/data/minishop/authz/decisions',
      input: expect.objectContaining(input) as unknown,
    });

    it('lets an admin read `available`, asking once with subject, client, operation and policies', async () => {
      const variables = { word: product.word };
      for (const request of [
        { query: INVENTORY, variables },
        { query: INVENTORY, variables, operationName: 'Inventory' },
      ]) {
        const { status, body } = await post(opaRouted, request, { authorization: `Bearer ${adminToken}` });
        expect({ status, body }).toEqual({
          status: 200,
          body: { data: { products: { edges: [{ node: { name: product.name, available: 5, inStock: true } }] } } },
        });
        expect(opa.take()).toEqual([
          {
            method: 'POST',
            url: '/v1/data/minishop/authz/decisions',
            input: {
              subject: { kind: 'user', id: adminId, roles: ['admin'], scopes: ADMIN_SCOPES },
              client: null,
              operation: { name: 'Inventory', type: 'query' },
              policies: ['inventory.read'],
            },
          },
        ]);
      }
    });

    it('denies a customer, whose input names the customer', async () => {
      const customer = await registerCustomer(router);
      userIds.push(customer.userId);
      const { body } = await graphql(opaRouted, INVENTORY, { word: product.word }, customer.token);
      expect(errorsOf(body)).toEqual([{ path: ['products', 'edges', 'node', 'available'], code: 'FORBIDDEN' }]);
      expect(opa.take()).toEqual([
        decisionRequest({
          subject: { kind: 'user', id: customer.userId, roles: ['customer'], scopes: [] },
          client: null,
        }),
      ]);
    });

    it('asks once for every policy of an operation (mutations too), and never for an operation without any', async () => {
      const both = `query Both($word: String!) {
        me { email }
        products(filter: { search: $word }) { edges { node { available } } }
      }`;
      const { body } = await graphql(opaRouted, both, { word: product.word }, adminToken);
      expect(body.errors).toBeUndefined();
      expect(opa.take()).toEqual([
        decisionRequest({ operation: { name: 'Both', type: 'query' }, policies: ['customer.pii', 'inventory.read'] }),
      ]);

      const adjust = `mutation Adjust($id: ID!) {
        adjustStock(productId: $id, delta: 1, reason: "policy input") { product { available } }
      }`;
      const adjusted = await graphql(opaRouted, adjust, { id: product.id }, adminToken);
      expect(adjusted.body).toEqual({ data: { adjustStock: { product: { available: 6 } } } });
      expect(opa.take()).toEqual([
        decisionRequest({ operation: { name: 'Adjust', type: 'mutation' }, policies: ['inventory.read'] }),
      ]);

      expect((await graphql(opaRouted, 'query Plain { categories { id } }', undefined, adminToken)).body.errors).toBe(
        undefined,
      );
      expect(opa.take()).toEqual([]);
    });

    it("sends a partner's client and manifest, and allows acme-feed's inventory grant", async () => {
      const { id, apiKey } = await partners.create(router, adminToken, 'acme-feed');
      const { status, body } = await post(opaRouted, byId(ACME_PRODUCT, { id: product.id }), { 'x-api-key': apiKey });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data?.product).toMatchObject({ id: product.id, available: expect.any(Number) });
      expect(opa.take()).toEqual([
        decisionRequest({
          subject: { kind: 'partner', id, roles: [], scopes: [] },
          client: { id, manifest_id: 'acme-feed' },
          operation: { name: 'AcmeProduct', type: 'query' },
          policies: ['inventory.read'],
        }),
      ]);
    });
  });
});
