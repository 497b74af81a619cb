import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@minishop/db';
import type { RunningRouter } from '../src';
import { graphql, type GraphQLBody } from './harness';

// Shared by the authentication and authorization integration tests (not shipped code).

/** POSTs a GraphQL request body with exactly `headers` (besides the JSON content type). */
export async function post(target: RunningRouter | string, body: Record<string, unknown>, headers = {}) {
  const response = await fetch(typeof target === 'string' ? target : target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A request body that runs a persisted operation by id (how partners call). */
export const byId = (sha256Hash: string, variables?: Record<string, unknown>) => ({
  extensions: { persistedQuery: { version: 1, sha256Hash } },
  ...(variables === undefined ? {} : { variables }),
});

export interface ErrorAt {
  path: readonly (string | number)[] | null;
  code: unknown;
}

/** Errors in a stable order (by path, then code), so expected and actual lists compare equal. */
export const sortedErrors = (errors: ErrorAt[]) =>
  [...errors].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** Each error as `{ path, code }`, sorted: what authorization tests compare. */
export function errorsOf(body: GraphQLBody): ErrorAt[] {
  return sortedErrors(
    (body.errors ?? []).map((error) => ({ path: error.path ?? null, code: error.extensions?.['code'] })),
  );
}

const CREATE_PARTNER = `mutation CreatePartner($input: CreatePartnerClientInput!) {
  createPartnerClient(input: $input) { client { id } apiKey }
}`;
const REVOKE_PARTNER = 'mutation RevokePartner($id: ID!) { revokePartnerClient(id: $id) { revokedAt } }';

/**
 * Partner clients created through the router by an admin (the product's own path), remembered so
 * `dispose` deletes exactly those rows.
 */
export function partnerClients(prisma: PrismaClient) {
  const ids: string[] = [];
  return {
    async create(router: RunningRouter, adminToken: string, manifestId: string) {
      const input = { name: `authz test ${randomBytes(4).toString('hex')}`, manifestId };
      const { body } = await graphql(router, CREATE_PARTNER, { input }, adminToken);
      const created = body.data?.createPartnerClient as { client: { id: string }; apiKey: string } | undefined;
      if (!created) throw new Error(`createPartnerClient failed: ${JSON.stringify(body.errors)}`);
      ids.push(created.client.id);
      return { id: created.client.id, apiKey: created.apiKey };
    },
    async revoke(router: RunningRouter, adminToken: string, id: string) {
      const { body } = await graphql(router, REVOKE_PARTNER, { id }, adminToken);
      if (body.errors) throw new Error(`revokePartnerClient failed: ${JSON.stringify(body.errors)}`);
    },
    dispose: () => prisma.partnerClient.deleteMany({ where: { id: { in: ids } } }),
  };
}

/** A lower-case word the English full-text stemmer leaves alone: finds exactly one fixture product. */
export function randomWord(): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  return `zq${[...randomBytes(10)].map((byte) => letters[byte % letters.length]).join('')}`;
}

export const randomSku = () => `AUTHZ-${randomBytes(6).toString('hex').toUpperCase()}`;

/**
 * Products with random SKUs and names in a seeded category, written straight to the database;
 * `dispose` deletes them with their stock adjustments (and any product created under `sku()`).
 */
export function productFixtures(prisma: PrismaClient) {
  const skus: string[] = [];
  return {
    /** A fresh SKU whose product `dispose` deletes, for products the tests create through the API. */
    sku() {
      const sku = randomSku();
      skus.push(sku);
      return sku;
    },
    async create(stock: { stock: number; reserved: number }) {
      const category = await prisma.category.findFirstOrThrow({ select: { id: true } });
      const word = randomWord();
      const product = await prisma.product.create({
        data: {
          sku: this.sku(),
          name: `Authz ${word}`,
          priceAmount: 1999,
          currency: 'EUR',
          categoryId: category.id,
          ...stock,
        },
        select: { id: true, sku: true, name: true },
      });
      return { ...product, word, available: stock.stock - stock.reserved };
    },
    stockOf: async (id: string) =>
      (await prisma.product.findUniqueOrThrow({ where: { id }, select: { stock: true } })).stock,
    async dispose() {
      const products = await prisma.product.findMany({ where: { sku: { in: skus } }, select: { id: true } });
      const productIds = products.map((product) => product.id);
      await prisma.stockAdjustment.deleteMany({ where: { productId: { in: productIds } } });
      await prisma.product.deleteMany({ where: { id: { in: productIds } } });
    },
  };
}
