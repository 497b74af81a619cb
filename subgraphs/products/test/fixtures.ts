import { randomBytes, randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type ProductStatus } from '@minishop/db';
import {
  createLogger,
  serveSubgraph,
  type IdentityVerifier,
  type RunningSubgraph,
  type Viewer,
} from '@minishop/runtime';
import { createProductsSubgraph } from '../src';

// Shared by the products integration tests (not shipped code). Every fixture uses fresh random
// SKUs/slugs and deletes exactly what it created, so tests can run beside others on the shared DB.

export const logger = createLogger('products-test', process.env.LOG_LEVEL ?? 'warn');

/**
 * A Prisma client on the test database that records every SQL statement it sends (Prisma's
 * `query` log events), so tests can count round trips.
 */
export function countingPrisma() {
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: String(process.env.DATABASE_URL) }),
    log: [{ emit: 'event', level: 'query' }],
  });
  const statements: string[] = [];
  prisma.$on('query', (event) => statements.push(event.query));
  return {
    prisma,
    statements,
    /** Runs `work` and returns the statements it sent. */
    async record(work: () => Promise<unknown>): Promise<string[]> {
      const start = statements.length;
      await work();
      return statements.slice(start);
    },
  };
}

export const viewers = {
  admin: (): Viewer => ({
    userId: randomUUID(),
    roles: ['admin'],
    scopes: ['catalog:write', 'stock:write', 'coupons:write', 'orders:manage', 'users:manage'],
  }),
  ops: (): Viewer => ({ userId: randomUUID(), roles: ['ops'], scopes: ['stock:write', 'orders:manage'] }),
  customer: (): Viewer => ({ userId: randomUUID(), roles: ['customer'], scopes: [] }),
};

/** A random lower-case word the English stemmer leaves alone (no digits, no common suffix). */
export function randomWord(): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  return `zq${[...randomBytes(10)].map((byte) => letters[byte % letters.length]).join('')}`;
}

export function randomSku(prefix = 'TST'): string {
  return `${prefix}-${randomBytes(6).toString('hex').toUpperCase()}`;
}

export interface ProductFixture {
  name?: string;
  description?: string;
  price?: number;
  stock?: number;
  reserved?: number;
  status?: ProductStatus;
  categoryId: string;
}

/** Creates categories and products for one test file and removes them (and their stock rows) again. */
export function catalogFixture(prisma: PrismaClient) {
  const categoryIds: string[] = [];
  const productIds = new Set<string>();
  return {
    async category(name: string, parentId: string | null = null): Promise<string> {
      const { id } = await prisma.category.create({
        data: { slug: `test-${randomBytes(6).toString('hex')}`, name, parentId },
      });
      categoryIds.push(id);
      return id;
    },
    async product(fixture: ProductFixture): Promise<string> {
      const { id } = await prisma.product.create({
        data: {
          sku: randomSku(),
          name: fixture.name ?? `Test product ${randomWord()}`,
          description: fixture.description ?? '',
          priceAmount: fixture.price ?? 1000,
          currency: 'EUR',
          stock: fixture.stock ?? 10,
          reserved: fixture.reserved ?? 0,
          status: fixture.status ?? 'ACTIVE',
          categoryId: fixture.categoryId,
        },
      });
      productIds.add(id);
      return id;
    },
    /** Products created outside the fixture (e.g. through the API) that cleanup must remove too. */
    track(productId: string): void {
      productIds.add(productId);
    },
    async cleanup(): Promise<void> {
      const ids = [...productIds];
      await prisma.stockReservation.deleteMany({ where: { productId: { in: ids } } });
      await prisma.stockAdjustment.deleteMany({ where: { productId: { in: ids } } });
      await prisma.product.deleteMany({ where: { id: { in: ids } } });
      // Children first: the parent foreign key is ON DELETE RESTRICT.
      for (const id of categoryIds.reverse()) await prisma.category.delete({ where: { id } });
    },
  };
}

export type CatalogFixture = ReturnType<typeof catalogFixture>;

/**
 * The products subgraph on port 0. Requests carry `Authorization: Bearer <token>` where the token
 * is one registered with `signIn`; the real JWT verification is the runtime's (tested there).
 */
export async function serveProducts(prisma: PrismaClient) {
  const tokens = new Map<string, Viewer>();
  const identity: IdentityVerifier = {
    verify: async (headers) => {
      const viewer = tokens.get(headers.authorization?.replace(/^Bearer /, '') ?? '');
      return viewer ? { kind: 'user', viewer } : null;
    },
  };
  const running: RunningSubgraph = await serveSubgraph(createProductsSubgraph({ prisma }), {
    port: 0,
    logger,
    identity,
  });
  return {
    url: running.url,
    stop: running.stop,
    /** A bearer token for `viewer`. */
    signIn(viewer: Viewer): string {
      const token = randomUUID();
      tokens.set(token, viewer);
      return token;
    },
    async graphql<Data = Record<string, unknown>>(
      query: string,
      variables: Record<string, unknown> = {},
      token?: string,
    ): Promise<GraphQLResult<Data>> {
      const response = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResult<Data>;
    },
  };
}

export type ProductsServer = Awaited<ReturnType<typeof serveProducts>>;

export interface GraphQLResult<Data> {
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The codes of a result's errors, in order. */
export const errorCodes = (result: GraphQLResult<unknown>) =>
  (result.errors ?? []).map((error) => error.extensions?.['code']);

/** A result's data, or a failure listing its errors. */
export function dataOf<Data>(result: GraphQLResult<Data>): Data {
  if (result.errors || !result.data) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}
