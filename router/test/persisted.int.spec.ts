// Persisted operations through the real router: APQ shared by replicas, the web safelist, partner
// manifests and the first-party `enforce` mode.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startRouter, type RunningRouter } from '../src';
import { sha256Hex } from '../src/persisted';
import { graphql, logger, loginAs, routerConfig, startSubgraphs, type GraphQLBody } from './harness';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;

interface ManifestFile {
  operations: { id: string; name: string; body: string }[];
}

const MANIFESTS = path.resolve(__dirname, '../../schema/persisted-queries');

/** The operation called `name` in `file` (relative to schema/persisted-queries). */
function manifestOperation(file: string, name: string) {
  const manifest = JSON.parse(readFileSync(path.join(MANIFESTS, file), 'utf8')) as ManifestFile;
  const operation = manifest.operations.find((candidate) => candidate.name === name);
  if (!operation) throw new Error(`${file} has no operation ${name}`);
  return operation;
}

const WEB_CATEGORIES = manifestOperation('web.json', 'Categories');
const WEB_PRODUCTS = manifestOperation('web.json', 'Products');
const ACME_CATEGORIES = manifestOperation('partners/acme-feed.json', 'AcmeCategories');
const ACME_FEED = manifestOperation('partners/acme-feed.json', 'AcmeProductFeed');
const PRICE_COMPARE_FEED = manifestOperation('partners/price-compare.json', 'PriceCompareFeed');

async function post(router: RunningRouter, fields: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(router.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(fields),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

const byHash = (sha256Hash: string, variables?: Record<string, unknown>) => ({
  extensions: { persistedQuery: { version: 1, sha256Hash } },
  ...(variables ? { variables } : {}),
});

const refusal = (code: string) => ({ errors: [{ message: expect.any(String), extensions: { code } }] });
const NOT_FOUND = {
  errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
};

jest.setTimeout(60_000);

describe('persisted operations through the router', () => {
  let subgraphs: Subgraphs;
  let router: RunningRouter;
  let replica: RunningRouter;
  let adminToken: string;
  const routers: RunningRouter[] = [];
  const partnerIds: string[] = [];
  const apqKeys: string[] = [];

  const start = async (overrides: Parameters<typeof routerConfig>[1] = {}) => {
    const started = await startRouter(routerConfig(subgraphs, overrides), logger);
    routers.push(started);
    return started;
  };

  /** An operation text no other run has registered, and its APQ id (removed from Redis afterwards). */
  function freshOperation() {
    const query = `query ApqProbe { categories { slug } } # ${randomUUID()}`;
    const hash = sha256Hex(query);
    apqKeys.push(`apq:${hash}`);
    return { query, hash };
  }

  /** A partner client for `manifestId`, created by an admin through the router; returns its key header. */
  async function partner(manifestId: string) {
    const { body } = await graphql(
      router,
      'mutation($input: CreatePartnerClientInput!) { createPartnerClient(input: $input) { apiKey client { id } } }',
      { input: { name: `persisted test ${randomUUID()}`, manifestId } },
      adminToken,
    );
    const created = body.data?.createPartnerClient as { apiKey: string; client: { id: string } } | undefined;
    if (!created) throw new Error(`createPartnerClient failed: ${JSON.stringify(body.errors)}`);
    partnerIds.push(created.client.id);
    return { 'x-api-key': created.apiKey };
  }

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    router = await start();
    replica = await start();
    adminToken = await loginAs(router, 'admin');
  }, 120_000);

  afterAll(async () => {
    if (subgraphs) {
      await subgraphs.prisma.partnerClient.deleteMany({ where: { id: { in: partnerIds } } });
      if (apqKeys.length > 0) await subgraphs.redis.del(...apqKeys);
    }
    for (const running of routers) await running.stop();
    await subgraphs?.stop();
  });

  describe('automatic persisted queries', () => {
    it('asks for the text of an unknown hash (HTTP 200), registers it, then runs it by hash on every replica', async () => {
      const { query, hash } = freshOperation();
      const unknown = await post(router, byHash(hash));
      expect(unknown).toEqual({ status: 200, body: NOT_FOUND });

      const registered = await post(router, { query, ...byHash(hash) });
      expect(registered.status).toBe(200);
      expect(registered.body.errors).toBeUndefined();
      const categories = registered.body.data?.categories as { slug: string }[];
      expect(categories.length).toBeGreaterThan(0);

      expect(await post(router, byHash(hash))).toEqual({ status: 200, body: registered.body });
      expect(await post(replica, byHash(hash))).toEqual({ status: 200, body: registered.body });
      expect(await subgraphs.redis.get(`apq:${hash}`)).toBe(query);
    });

    it('runs a registered hash with GET (how Apollo clients send APQ)', async () => {
      const { query, hash } = freshOperation();
      await post(router, { query, ...byHash(hash) });
      const extensions = encodeURIComponent(JSON.stringify(byHash(hash).extensions));
      const response = await fetch(`${replica.url}?extensions=${extensions}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as GraphQLBody;
      expect(body.errors).toBeUndefined();
      expect((body.data?.categories as unknown[]).length).toBeGreaterThan(0);
    });

    it('refuses a hash that is not the sha256 of the text with 400, and registers nothing', async () => {
      const { query } = freshOperation();
      const other = freshOperation();
      const wrong = await post(router, { query, ...byHash(other.hash) });
      expect(wrong).toEqual({ status: 400, body: refusal('BAD_REQUEST') });
      expect(await post(router, byHash(other.hash))).toEqual({ status: 200, body: NOT_FOUND });
    });
  });

  describe('web manifest (first-party)', () => {
    it('runs a web manifest operation by documentId for an anonymous caller, with or without the sha256: prefix', async () => {
      for (const documentId of [WEB_CATEGORIES.id, `sha256:${WEB_CATEGORIES.id}`]) {
        const { status, body } = await post(router, { documentId });
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        expect(body.data?.categories).toEqual(
          expect.arrayContaining([expect.objectContaining({ __typename: 'Category', slug: expect.any(String) })]),
        );
      }
      const products = await post(router, { documentId: WEB_PRODUCTS.id, variables: { first: 2 } });
      expect(products.body.errors).toBeUndefined();
      expect((products.body.data?.products as { edges: unknown[] }).edges).toHaveLength(2);
    });
  });

  describe('partner manifests', () => {
    let acme: Record<string, string>;

    beforeAll(async () => {
      acme = await partner('acme-feed');
    });

    it('runs the operations of its manifest by id (persistedQuery extension or documentId)', async () => {
      const categories = await post(router, byHash(ACME_CATEGORIES.id), acme);
      expect(categories.status).toBe(200);
      expect(categories.body.errors).toBeUndefined();
      expect((categories.body.data?.categories as unknown[]).length).toBeGreaterThan(0);

      const feed = await post(router, { documentId: ACME_FEED.id, variables: { first: 3 } }, acme);
      expect(feed.status).toBe(200);
      expect(feed.body.errors).toBeUndefined();
      const edges = (feed.body.data?.products as { edges: { node: { available: unknown } }[] }).edges;
      expect(edges).toHaveLength(3);
      // acme-feed is granted inventory: `available` (@policy inventory.read) is there.
      for (const { node } of edges) expect(node.available).toEqual(expect.any(Number));
    });

    it('refuses freeform GraphQL with 400 PERSISTED_QUERY_NOT_IN_LIST, even the text of its own operation', async () => {
      for (const fields of [
        { query: '{ categories { id } }' },
        { query: ACME_CATEGORIES.body },
        { query: ACME_CATEGORIES.body, ...byHash(ACME_CATEGORIES.id) },
      ]) {
        expect(await post(router, fields, acme)).toEqual({ status: 400, body: refusal('PERSISTED_QUERY_NOT_IN_LIST') });
      }
    });

    it('answers an unknown id, a web id or another partner’s id with 400 PERSISTED_QUERY_NOT_FOUND', async () => {
      for (const id of [sha256Hex(randomUUID()), WEB_CATEGORIES.id, PRICE_COMPARE_FEED.id]) {
        expect(await post(router, byHash(id), acme)).toEqual({ status: 400, body: NOT_FOUND });
        expect(await post(router, { documentId: id }, acme)).toEqual({ status: 400, body: NOT_FOUND });
      }
    });

    it('keeps each partner to its own manifest', async () => {
      const priceCompare = await partner('price-compare');
      expect(await post(router, byHash(ACME_CATEGORIES.id), priceCompare)).toEqual({ status: 400, body: NOT_FOUND });
      const feed = await post(router, byHash(PRICE_COMPARE_FEED.id, { first: 2 }), priceCompare);
      expect(feed.status).toBe(200);
      expect(feed.body.errors).toBeUndefined();
      expect((feed.body.data?.products as { edges: unknown[] }).edges).toHaveLength(2);
    });

    it('denies everything to a partner whose manifestId has no manifest', async () => {
      const orphan = await partner(`no-manifest-${randomUUID().slice(0, 8)}`);
      expect(await post(router, byHash(ACME_CATEGORIES.id), orphan)).toEqual({ status: 400, body: NOT_FOUND });
      expect((await post(router, { query: '{ __typename }' }, orphan)).status).toBe(400);
    });
  });

  describe("first-party safelist 'enforce'", () => {
    let enforcing: RunningRouter;
    let userToken: string;

    beforeAll(async () => {
      enforcing = await start({ firstPartySafelist: 'enforce' });
      userToken = (await subgraphs.tokens.issue({ id: randomUUID(), roles: ['customer'] })).token;
    });

    it('refuses freeform operations missing from the web manifest with 400 PERSISTED_QUERY_NOT_IN_LIST', async () => {
      for (const headers of [{}, { authorization: `Bearer ${userToken}` }] as Record<string, string>[]) {
        expect(await post(enforcing, { query: '{ __typename }' }, headers)).toEqual({
          status: 400,
          body: refusal('PERSISTED_QUERY_NOT_IN_LIST'),
        });
      }
      const { query, hash } = freshOperation();
      expect(await post(enforcing, { query, ...byHash(hash) })).toEqual({
        status: 400,
        body: refusal('PERSISTED_QUERY_NOT_IN_LIST'),
      });
      expect(await subgraphs.redis.exists(`apq:${hash}`)).toBe(0);
      expect(await post(enforcing, byHash(hash))).toEqual({ status: 200, body: NOT_FOUND });
    });

    it('runs a web manifest operation sent as its exact text, or by id', async () => {
      const verbatim = await post(enforcing, { query: WEB_CATEGORIES.body });
      expect(verbatim.status).toBe(200);
      expect(verbatim.body.errors).toBeUndefined();
      expect((verbatim.body.data?.categories as unknown[]).length).toBeGreaterThan(0);
      expect(await post(enforcing, { documentId: WEB_CATEGORIES.id })).toEqual(verbatim);

      // One character off is another operation.
      expect(await post(enforcing, { query: `${WEB_CATEGORIES.body} ` })).toEqual({
        status: 400,
        body: refusal('PERSISTED_QUERY_NOT_IN_LIST'),
      });
    });
  });
});
