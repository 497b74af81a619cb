// What each kind of caller may see and do, through the real router and subgraphs: @authenticated,
// @requiresScopes and @policy for anonymous callers, a customer, ops, an admin and two partners.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@minishop/runtime';
import { startRouter, type RouterConfig, type RunningRouter } from '../src';
import { sha256Hex } from '../src/persisted';
import { logger, loginAs, registerCustomer, routerConfig, scratchDir, SEEDED_LOGINS, startSubgraphs } from './harness';
import {
  bearer,
  byId,
  errorsOf,
  partnerClients,
  post,
  productFixtures,
  sortedErrors,
  type ErrorAt,
} from './security-fixtures';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;
type Product = Awaited<ReturnType<ReturnType<typeof productFixtures>['create']>>;

const CALLERS = ['anonymous', 'customer', 'ops', 'admin', 'acme-feed', 'price-compare'] as const;
type CallerName = (typeof CALLERS)[number];
const isPartner = (who: CallerName) => who === 'acme-feed' || who === 'price-compare';
const isUser = (who: CallerName) => who === 'customer' || who === 'ops' || who === 'admin';
const isStaff = (who: CallerName) => who === 'ops' || who === 'admin';

interface Probe {
  name: string;
  body: string;
  id: string;
}

function probe(body: string): Probe {
  const name = /^(?:query|mutation) (\w+)/.exec(body)?.[1];
  if (!name) throw new Error(`a probe needs a named operation: ${body}`);
  return { name, body, id: sha256Hex(body) };
}

/** The operations of the matrix; partners run them by id from their manifests (see `manifestsWithProbes`). */
const PROBES = {
  me: probe('query ProbeMe { me { id email } }'),
  myOrders: probe('query ProbeMyOrders { me { id orders(first: 5) { edges { node { id } } } } }'),
  inventory: probe(
    'query ProbeInventory($word: String!) { products(filter: { search: $word }) { edges { node { name available inStock } } } }',
  ),
  lowStock: probe('query ProbeLowStock { lowStockProducts(threshold: 5, first: 10) { id } }'),
  users: probe('query ProbeUsers { users(first: 5) { edges { node { id } } } }'),
  otherUser: probe('query ProbeOtherUser($id: ID!) { user(id: $id) { id name email } }'),
  mixed: probe(
    'query ProbeMixed { categories { id } me { id } users(first: 1) { totalCount } lowStockProducts(first: 1) { id } }',
  ),
  fragments: probe(`query ProbeFragments($word: String!) {
  mine: me { ...Who }
  stock: lowStockProducts(first: 1) { id }
  catalog: products(filter: { search: $word }) { edges { node { ...Inventory ... on Product { units: available } } } }
}
fragment Who on User { id }
fragment Inventory on Product { label: name available }`),
  nothing: probe('query ProbeNothing { me { id } users(first: 1) { totalCount } }'),
  adjustStock: probe(
    'mutation ProbeAdjustStock($id: ID!) { adjustStock(productId: $id, delta: 1, reason: "authorization matrix") { delta stockAfter } }',
  ),
  createProduct: probe(
    'mutation ProbeCreateProduct($input: CreateProductInput!) { createProduct(input: $input) { sku } }',
  ),
};

// Operations of the real partner manifests (schema/persisted-queries/partners/*.json).
const ACME_PRODUCT = '859d8bb7b06fda9d0ed8c1f2b1fa4699324ed222dda25d2884b2b7e9208e9a8f';
const ACME_PRODUCT_FEED = 'c77526b192d25b060fdb7b0b65db2206197a4a85e7fb00a1a59d4747fc0d2610';
const PRICE_COMPARE_FEED = '5a7ffdcafa6f44549dd2d5da3adfca1bec8621a5498fa07b1d80501b1e55a157';

/**
 * The repo's manifests, each partner's with the probes appended: partners may only run manifest
 * operations, so this is how they reach the matrix. The policy data (acme-feed granted inventory,
 * price-compare nothing) is the real one.
 */
function manifestsWithProbes(dir: string): string {
  cpSync(path.join(repoRoot, 'schema/persisted-queries'), dir, { recursive: true });
  for (const manifestId of ['acme-feed', 'price-compare']) {
    const file = path.join(dir, 'partners', `${manifestId}.json`);
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { operations: unknown[] };
    for (const { name, body, id } of Object.values(PROBES)) {
      manifest.operations.push({ id, name, type: body.startsWith('mutation') ? 'mutation' : 'query', body });
    }
    writeFileSync(file, JSON.stringify(manifest));
  }
  return dir;
}

interface Outcome {
  data: unknown;
  errors: ErrorAt[];
}

const forbidden = (...path: string[]): ErrorAt => ({ path, code: 'FORBIDDEN' });
const unauthenticated = (...path: string[]): ErrorAt => ({ path, code: 'UNAUTHENTICATED' });
/** A missing sign-in or scope: UNAUTHENTICATED for a caller without credentials, FORBIDDEN for anyone else. */
const refused = (who: CallerName, ...path: string[]) =>
  who === 'anonymous' ? unauthenticated(...path) : forbidden(...path);

function expectOutcome(answer: Awaited<ReturnType<typeof post>>, expected: Outcome, status = 200) {
  expect({ status: answer.status, data: answer.body.data, errors: errorsOf(answer.body) }).toEqual({
    status,
    data: expected.data,
    errors: sortedErrors(expected.errors),
  });
}

describe('authorization through the router: the caller matrix', () => {
  const scratch = scratchDir();
  const persistedQueriesDir = manifestsWithProbes(scratch.dir);
  let subgraphs: Subgraphs;
  let router: RunningRouter;
  let adminToken: string;
  let categoryId: string;
  let stocked: Product; // 7 on hand, 2 reserved: 5 available
  let adjusted: Product;
  let other: { id: string; name: string; email: string };
  const callers = {} as Record<CallerName, { headers: Record<string, string>; user?: { id: string; email: string } }>;
  const userIds: string[] = [];
  let partners: ReturnType<typeof partnerClients>;
  let products: ReturnType<typeof productFixtures>;
  const routers: RunningRouter[] = [];

  const startRouterWith = async (overrides: Partial<RouterConfig> = {}) => {
    const started = await startRouter(routerConfig(subgraphs, { persistedQueriesDir, ...overrides }), logger);
    routers.push(started);
    return started;
  };

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    router = await startRouterWith();
    partners = partnerClients(subgraphs.prisma);
    products = productFixtures(subgraphs.prisma);
    stocked = await products.create({ stock: 7, reserved: 2 });
    adjusted = await products.create({ stock: 3, reserved: 0 });
    categoryId = (await subgraphs.prisma.product.findUniqueOrThrow({ where: { id: stocked.id } })).categoryId;

    adminToken = await loginAs(router, 'admin');
    const customer = await registerCustomer(router);
    const stranger = await registerCustomer(router);
    userIds.push(customer.userId, stranger.userId);
    other = { id: stranger.userId, name: stranger.name, email: stranger.email };
    const staff = async (who: 'ops' | 'admin') => {
      const { id, email } = await subgraphs.prisma.user.findUniqueOrThrow({
        where: { email: SEEDED_LOGINS[who].email },
      });
      return { headers: bearer(who === 'admin' ? adminToken : await loginAs(router, who)), user: { id, email } };
    };
    const partner = async (manifestId: string) => ({
      headers: { 'x-api-key': (await partners.create(router, adminToken, manifestId)).apiKey },
    });
    Object.assign(callers, {
      anonymous: { headers: {} },
      customer: { headers: bearer(customer.token), user: { id: customer.userId, email: customer.email } },
      ops: await staff('ops'),
      admin: await staff('admin'),
      'acme-feed': await partner('acme-feed'),
      'price-compare': await partner('price-compare'),
    });
  }, 60_000);

  afterAll(async () => {
    if (subgraphs) {
      await partners.dispose();
      await products.dispose();
      await subgraphs.prisma.user.deleteMany({ where: { id: { in: userIds } } });
    }
    for (const started of routers) await started.stop();
    await subgraphs?.stop();
    scratch.dispose();
  });

  /** Runs a probe as `who`: its text for first-party callers, its manifest id for partners. */
  function run(target: RunningRouter, who: CallerName, { body, id }: Probe, variables?: Record<string, unknown>) {
    const { headers } = callers[who];
    return post(target, isPartner(who) ? byId(id, variables) : { query: body, variables }, headers);
  }

  const self = (who: CallerName) => {
    const user = callers[who].user;
    if (!user) throw new Error(`${who} is not a user`);
    return user;
  };

  /** The stocked product as the inventory probes select it, `available` only for those who may see it. */
  const inventoryNode = (visible: boolean, fields: { name: string; available: string[] }) => ({
    [fields.name]: stocked.name,
    ...Object.fromEntries(visible ? fields.available.map((key) => [key, stocked.available]) : []),
  });

  const matrix: Record<
    string,
    { probe: Probe; variables?: () => Record<string, unknown>; expected: (who: CallerName) => Outcome }
  > = {
    '@authenticated me { id email }': {
      probe: PROBES.me,
      expected: (who) =>
        isUser(who) ? { data: { me: self(who) }, errors: [] } : { data: null, errors: [refused(who, 'me')] },
    },
    '@authenticated me { orders }': {
      probe: PROBES.myOrders,
      expected: (who) => {
        if (!isUser(who)) return { data: null, errors: [refused(who, 'me')] };
        // A fresh customer has no orders; the seeded staff accounts may have some.
        const edges = who === 'customer' ? [] : expect.any(Array);
        return { data: { me: { id: self(who).id, orders: { edges } } }, errors: [] };
      },
    },
    '@policy(inventory.read) on Product.available': {
      probe: PROBES.inventory,
      variables: () => ({ word: stocked.word }),
      expected: (who) => {
        const visible = isStaff(who) || who === 'acme-feed';
        const node = { ...inventoryNode(visible, { name: 'name', available: ['available'] }), inStock: true };
        const errors = visible ? [] : [forbidden('products', 'edges', 'node', 'available')];
        return { data: { products: { edges: [{ node }] } }, errors };
      },
    },
    '@requiresScopes(stock:write) lowStockProducts': {
      probe: PROBES.lowStock,
      expected: (who) =>
        isStaff(who)
          ? { data: { lowStockProducts: expect.any(Array) }, errors: [] }
          : { data: null, errors: [refused(who, 'lowStockProducts')] },
    },
    '@requiresScopes(users:manage) users(first: 5)': {
      probe: PROBES.users,
      expected: (who) =>
        who === 'admin'
          ? {
              data: { users: { edges: Array.from({ length: 5 }, () => ({ node: { id: expect.any(String) } })) } },
              errors: [],
            }
          : { data: null, errors: [refused(who, 'users')] },
    },
    "@policy(customer.pii) on another user's email": {
      probe: PROBES.otherUser,
      variables: () => ({ id: other.id }),
      expected: (who) => {
        if (who === 'admin') return { data: { user: other }, errors: [] };
        // The router removes the field for partners; for users and anonymous callers the policy allows
        // and the users subgraph refuses anyone but the user themself (email is non-null: user is null).
        if (isPartner(who))
          return { data: { user: { id: other.id, name: other.name } }, errors: [forbidden('user', 'email')] };
        return { data: { user: null }, errors: [refused(who, 'user', 'email')] };
      },
    },
    'mixed root fields: partial data and an error per refused field': {
      probe: PROBES.mixed,
      expected: (who) => ({
        data: {
          categories: expect.any(Array),
          ...(isUser(who) ? { me: { id: self(who).id } } : {}),
          ...(who === 'admin' ? { users: { totalCount: expect.any(Number) } } : {}),
          ...(isStaff(who) ? { lowStockProducts: expect.any(Array) } : {}),
        },
        errors: [
          ...(isUser(who) ? [] : [refused(who, 'me')]),
          ...(who === 'admin' ? [] : [refused(who, 'users')]),
          ...(isStaff(who) ? [] : [refused(who, 'lowStockProducts')]),
        ],
      }),
    },
    'fragments, inline fragments and aliases: errors at alias paths': {
      probe: PROBES.fragments,
      variables: () => ({ word: stocked.word }),
      expected: (who) => {
        const visible = isStaff(who) || who === 'acme-feed';
        const node = inventoryNode(visible, { name: 'label', available: ['available', 'units'] });
        return {
          data: {
            ...(isUser(who) ? { mine: { id: self(who).id } } : {}),
            ...(isStaff(who) ? { stock: expect.any(Array) } : {}),
            catalog: { edges: [{ node }] },
          },
          errors: [
            ...(isUser(who) ? [] : [refused(who, 'mine')]),
            ...(isStaff(who) ? [] : [refused(who, 'stock')]),
            ...(visible
              ? []
              : [forbidden('catalog', 'edges', 'node', 'available'), forbidden('catalog', 'edges', 'node', 'units')]),
          ],
        };
      },
    },
    'every root field refused: data null, HTTP 200': {
      probe: PROBES.nothing,
      expected: (who) => {
        if (!isUser(who)) return { data: null, errors: [refused(who, 'me'), refused(who, 'users')] };
        const me = { id: self(who).id };
        return who === 'admin'
          ? { data: { me, users: { totalCount: expect.any(Number) } }, errors: [] }
          : { data: { me }, errors: [forbidden('users')] };
      },
    },
  };

  describe.each(Object.entries(matrix))('%s', (_title, { probe: operation, variables, expected }) => {
    it.each(CALLERS)('as %s', async (who) => {
      expectOutcome(await run(router, who, operation, variables?.()), expected(who));
    });
  });

  describe('@requiresScopes mutations run only for callers with the scope', () => {
    it.each(CALLERS)('adjustStock (stock:write) as %s', async (who) => {
      const allowed = isStaff(who);
      const before = await products.stockOf(adjusted.id);
      const answer = await run(router, who, PROBES.adjustStock, { id: adjusted.id });
      expectOutcome(
        answer,
        allowed
          ? { data: { adjustStock: { delta: 1, stockAfter: before + 1 } }, errors: [] }
          : { data: null, errors: [refused(who, 'adjustStock')] },
      );
      expect(await products.stockOf(adjusted.id)).toBe(before + (allowed ? 1 : 0));
    });

    it.each(CALLERS)('createProduct (catalog:write) as %s', async (who) => {
      const allowed = who === 'admin';
      const sku = products.sku();
      const input = { sku, name: `Authz ${sku}`, price: { amount: 500, currency: 'EUR' }, categoryId };
      expectOutcome(
        await run(router, who, PROBES.createProduct, { input }),
        allowed
          ? { data: { createProduct: { sku } }, errors: [] }
          : { data: null, errors: [refused(who, 'createProduct')] },
      );
      expect(await subgraphs.prisma.product.count({ where: { sku } })).toBe(allowed ? 1 : 0);
    });
  });

  describe("partners' own manifest operations", () => {
    it('acme-feed (granted inventory) reads `available` in AcmeProduct and AcmeProductFeed', async () => {
      const product = await post(router, byId(ACME_PRODUCT, { id: stocked.id }), callers['acme-feed'].headers);
      expect(product.status).toBe(200);
      expect(product.body.errors).toBeUndefined();
      expect(product.body.data?.product).toMatchObject({ id: stocked.id, sku: stocked.sku, available: 5 });

      const feed = await post(router, byId(ACME_PRODUCT_FEED, { first: 20 }), callers['acme-feed'].headers);
      expect(feed.body.errors).toBeUndefined();
      const edges = (feed.body.data?.products as { edges: { node: { available: unknown } }[] }).edges;
      expect(edges).toHaveLength(20);
      for (const { node } of edges) expect(typeof node.available).toBe('number');
    });

    it('price-compare runs its feed (no inventory in it) and cannot run acme-feed operations', async () => {
      const feed = await post(router, byId(PRICE_COMPARE_FEED, { first: 20 }), callers['price-compare'].headers);
      expect(feed.status).toBe(200);
      expect(feed.body.errors).toBeUndefined();
      expect((feed.body.data?.products as { edges: unknown[] }).edges).toHaveLength(20);

      const acme = await post(router, byId(ACME_PRODUCT, { id: stocked.id }), callers['price-compare'].headers);
      expect(acme.status).toBe(400);
      expect(errorsOf(acme.body)).toEqual([{ path: null, code: 'PERSISTED_QUERY_NOT_FOUND' }]);
    });
  });

  describe('reject mode (rejectUnauthorized: true)', () => {
    let strict: RunningRouter;

    beforeAll(async () => {
      strict = await startRouterWith({ rejectUnauthorized: true });
    }, 60_000);

    it('refuses a customer adjustStock with HTTP 403 and runs nothing', async () => {
      const before = await subgraphs.prisma.product.findUniqueOrThrow({
        where: { id: adjusted.id },
        select: { stock: true, _count: { select: { adjustments: true } } },
      });
      const answer = await run(strict, 'customer', PROBES.adjustStock, { id: adjusted.id });
      expectOutcome(answer, { data: null, errors: [forbidden('adjustStock')] }, 403);
      const after = await subgraphs.prisma.product.findUniqueOrThrow({
        where: { id: adjusted.id },
        select: { stock: true, _count: { select: { adjustments: true } } },
      });
      expect(after).toEqual(before);
    });

    it('answers 401 when every refusal is UNAUTHENTICATED, 403 as soon as one is FORBIDDEN', async () => {
      expectOutcome(
        await run(strict, 'anonymous', PROBES.nothing),
        {
          data: null,
          errors: [unauthenticated('me'), unauthenticated('users')],
        },
        401,
      );
      expectOutcome(
        await run(strict, 'anonymous', PROBES.fragments, { word: stocked.word }),
        {
          data: null,
          errors: [
            unauthenticated('mine'),
            unauthenticated('stock'),
            forbidden('catalog', 'edges', 'node', 'available'),
            forbidden('catalog', 'edges', 'node', 'units'),
          ],
        },
        403,
      );
      const inventory = { word: stocked.word };
      expectOutcome(
        await run(strict, 'customer', PROBES.inventory, inventory),
        { data: null, errors: [forbidden('products', 'edges', 'node', 'available')] },
        403,
      );
      expectOutcome(
        await run(strict, 'price-compare', PROBES.inventory, inventory),
        { data: null, errors: [forbidden('products', 'edges', 'node', 'available')] },
        403,
      );
      expectOutcome(await run(strict, 'acme-feed', PROBES.me), { data: null, errors: [forbidden('me')] }, 403);
    });

    it('runs operations the caller is fully authorized for', async () => {
      expectOutcome(await run(strict, 'customer', PROBES.me), { data: { me: self('customer') }, errors: [] });
      const answer = await run(strict, 'admin', PROBES.mixed);
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(Object.keys(answer.body.data ?? {}).sort()).toEqual(['categories', 'lowStockProducts', 'me', 'users']);
      const before = await products.stockOf(adjusted.id);
      expect((await run(strict, 'ops', PROBES.adjustStock, { id: adjusted.id })).body.errors).toBeUndefined();
      expect(await products.stockOf(adjusted.id)).toBe(before + 1);
    });
  });
});
