// Who is calling, through the real router and subgraphs: user tokens, partner API keys, the identity
// token the router sends subgraphs, and subgraphs refusing requests that did not come through it.
import path from 'node:path';
import {
  createIdentitySigner,
  loadOrCreateSigningKey,
  SIGNING_ALGORITHM,
  type Identity,
  type SigningKey,
} from '@minishop/runtime';
import { SignJWT, UnsecuredJWT } from 'jose';
import { startRouter, type RunningRouter } from '../src';
import {
  eventually,
  graphql,
  JWT,
  loginAs,
  logger,
  registerCustomer,
  routerConfig,
  scratchDir,
  startSubgraphs,
  subgraphProxy,
  tamperedEnd,
} from './harness';
import { bearer, byId, errorsOf, partnerClients, post, productFixtures } from './security-fixtures';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;
type Customer = Awaited<ReturnType<typeof registerCustomer>>;

const ME = 'query Me { me { id email } }';
const CATEGORIES = 'query Categories { categories { id } }';
// Operations of the real acme-feed manifest (schema/persisted-queries/partners/acme-feed.json).
const ACME_CATEGORIES = 'c03ec55223285f2422482252c8d0dfb1861dc2482e24738b1d2c3a257c3b2b70';
const NOT_ACME = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('authentication through the router and subgraphs', () => {
  const scratch = scratchDir();
  let subgraphs: Subgraphs;
  let router: RunningRouter;
  let usersKey: SigningKey;
  let otherKey: SigningKey;
  let adminToken: string;
  let customer: Customer;
  const userIds: string[] = [];
  let partners: ReturnType<typeof partnerClients>;
  let products: ReturnType<typeof productFixtures>;

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    // A short key cache, so a revocation shows within a second or so.
    router = await startRouter(routerConfig(subgraphs, { partnerKeyCacheTtlMs: 200 }), logger);
    partners = partnerClients(subgraphs.prisma);
    products = productFixtures(subgraphs.prisma);
    usersKey = await loadOrCreateSigningKey(subgraphs.keyFile);
    otherKey = await loadOrCreateSigningKey(path.join(scratch.dir, 'other-key.json'));
    adminToken = await loginAs(router, 'admin');
    customer = await registerCustomer(router);
    userIds.push(customer.userId);
  }, 60_000);

  afterAll(async () => {
    if (subgraphs) {
      await partners.dispose();
      await products.dispose();
      await subgraphs.prisma.user.deleteMany({ where: { id: { in: userIds } } });
    }
    await router?.stop();
    await subgraphs?.stop();
    scratch.dispose();
  });

  /** A user access token for the test customer, signed with `key`; each option bends one rule. */
  function userToken(
    options: { key?: SigningKey; kid?: string; issuer?: string; audience?: string; expiresIn?: number } = {},
    claims: Record<string, unknown> = { roles: ['customer'], scope: '' },
  ) {
    const key = options.key ?? usersKey;
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn ?? 600;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: options.kid ?? String(key.publicJwk.kid), typ: 'JWT' })
      .setSubject(customer.userId)
      .setIssuer(options.issuer ?? JWT.issuer)
      .setAudience(options.audience ?? JWT.audience)
      .setIssuedAt(Math.min(now, now + expiresIn - 60))
      .setExpirationTime(now + expiresIn)
      .sign(key.privateKey);
  }

  /** The answer of a refused credential: HTTP 401, UNAUTHENTICATED, nothing executed. */
  function expectUnauthenticated(answer: Awaited<ReturnType<typeof post>>) {
    expect(answer.status).toBe(401);
    expect(answer.body.data).toBeUndefined();
    expect(errorsOf(answer.body)).toEqual([{ path: null, code: 'UNAUTHENTICATED' }]);
  }

  describe('user tokens', () => {
    it('serves `me` to a valid token issued at login, and to one the test signs with the same key', async () => {
      const me = { id: customer.userId, email: customer.email };
      expect(await graphql(router, ME, undefined, customer.token)).toEqual({ status: 200, body: { data: { me } } });
      // The control for the refusals below: this signer makes tokens the router accepts.
      const signed = await graphql(router, ME, undefined, await userToken());
      expect(signed).toEqual({ status: 200, body: { data: { me } } });
    });

    it('accepts a token that expired within the 30 s clock skew', async () => {
      const { status, body } = await graphql(router, ME, undefined, await userToken({ expiresIn: -10 }));
      expect(status).toBe(200);
      expect(body.data).toEqual({ me: { id: customer.userId, email: customer.email } });
    });

    it.each([
      ['expired beyond the clock skew', () => userToken({ expiresIn: -120 })],
      ['signed by another key under the users key id', () => userToken({ key: otherKey, kid: usersKey.publicJwk.kid })],
      ['signed by another key with its own key id', () => userToken({ key: otherKey })],
      ['from another issuer', () => userToken({ issuer: 'someone-else' })],
      ['for another audience', () => userToken({ audience: 'another-app' })],
      ['carrying malformed claims (roles not a list)', () => userToken({}, { roles: 'admin', scope: '' })],
      [
        'unsigned (alg none)',
        () =>
          Promise.resolve(
            new UnsecuredJWT({ roles: ['admin'], scope: 'users:manage' })
              .setSubject(customer.userId)
              .setIssuer(JWT.issuer)
              .setAudience(JWT.audience)
              .setExpirationTime('10m')
              .encode(),
          ),
      ],
      [
        "the router's own identity token",
        () => subgraphs.asRouter(customer.token), // valid signature, but the subgraphs' issuer and audience
      ],
    ])('refuses a token %s: HTTP 401 UNAUTHENTICATED, no data', async (_case, token) => {
      expectUnauthenticated(await post(router, { query: ME }, bearer(await token())));
      // Not even public fields run: a bad credential is never downgraded to anonymous.
      expectUnauthenticated(await post(router, { query: CATEGORIES }, bearer(await token())));
    });

    it.each([
      ['a Basic scheme', 'Basic dXNlcjpwYXNz'],
      ['a bare Bearer', 'Bearer'],
      ['Bearer with an empty token', 'Bearer '],
      ['a token that is not a JWT', 'Bearer not-a-jwt'],
      ['three garbage segments', 'Bearer aaa.bbb.ccc'],
      ['trailing garbage after the token', 'Bearer {token} extra'],
    ])('refuses an Authorization header with %s', async (_case, header) => {
      const authorization = header.replace('{token}', customer.token);
      expectUnauthenticated(await post(router, { query: CATEGORIES }, { authorization }));
    });

    it('serves public data to a caller without credentials', async () => {
      const { status, body } = await graphql(router, CATEGORIES);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect((body.data?.categories as unknown[]).length).toBeGreaterThan(0);
    });
  });

  describe('partner API keys', () => {
    it('runs an operation of the partner manifest, by persistedQuery hash and by documentId', async () => {
      const { apiKey } = await partners.create(router, adminToken, 'acme-feed');
      for (const request of [byId(ACME_CATEGORIES), { documentId: `sha256:${ACME_CATEGORIES}` }]) {
        const { status, body } = await post(router, request, { 'x-api-key': apiKey });
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        expect((body.data?.categories as unknown[]).length).toBeGreaterThan(0);
      }
      // Authenticated, but only as a partner: no freeform operations, no other manifest's ids.
      const freeform = await post(router, { query: CATEGORIES }, { 'x-api-key': apiKey });
      expect(freeform.status).toBe(400);
      expect(errorsOf(freeform.body)).toEqual([{ path: null, code: 'PERSISTED_QUERY_NOT_IN_LIST' }]);
      const unknown = await post(router, byId(NOT_ACME), { 'x-api-key': apiKey });
      expect(unknown.status).toBe(400);
      expect(errorsOf(unknown.body)).toEqual([{ path: null, code: 'PERSISTED_QUERY_NOT_FOUND' }]);
    });

    it('refuses a request carrying both an API key and a bearer token', async () => {
      const { apiKey } = await partners.create(router, adminToken, 'acme-feed');
      expectUnauthenticated(
        await post(router, byId(ACME_CATEGORIES), { 'x-api-key': apiKey, ...bearer(customer.token) }),
      );
    });

    it.each([
      ['well-formed but unknown', `msk_AbCdEf12_${'x'.repeat(43)}`],
      ['malformed', 'not-a-key'],
      ['empty', ''],
      ['oversized', `msk_${'a'.repeat(300)}`],
    ])('refuses a %s API key', async (_case, apiKey) => {
      expectUnauthenticated(await post(router, byId(ACME_CATEGORIES), { 'x-api-key': apiKey }));
    });

    it('refuses a key with a valid prefix but the wrong secret', async () => {
      const { apiKey } = await partners.create(router, adminToken, 'acme-feed');
      const tampered = tamperedEnd(apiKey, 4);
      expectUnauthenticated(await post(router, byId(ACME_CATEGORIES), { 'x-api-key': tampered }));
    });

    it('stops accepting a key within about a second of its revocation', async () => {
      const { id, apiKey } = await partners.create(router, adminToken, 'acme-feed');
      const run = () => post(router, byId(ACME_CATEGORIES), { 'x-api-key': apiKey });
      expect((await run()).status).toBe(200); // now cached by the router as valid

      await partners.revoke(router, adminToken, id);
      expect(await eventually(async () => (await run()).status === 401, 3_000)).toBe(true);
      expectUnauthenticated(await run());
    });

    it('with the key cache turned off (TTL 0), stops accepting a revoked key too', async () => {
      const uncached = await startRouter(routerConfig(subgraphs, { partnerKeyCacheTtlMs: 0 }), logger);
      try {
        const { id, apiKey } = await partners.create(uncached, adminToken, 'acme-feed');
        const run = () => post(uncached, byId(ACME_CATEGORIES), { 'x-api-key': apiKey });
        expect((await run()).status).toBe(200);
        await partners.revoke(uncached, adminToken, id);
        // Without a cache the very next request should fail; a few seconds rule out any race.
        expect(await eventually(async () => (await run()).status === 401, 3_000)).toBe(true);
      } finally {
        await uncached.stop();
      }
    });
  });

  describe('identity sent to subgraphs', () => {
    it("sends only the router's signed identity token, never the client's token or API key", async () => {
      const proxies = {
        users: await subgraphProxy(String(subgraphs.urls['users'])),
        products: await subgraphProxy(String(subgraphs.urls['products'])),
      };
      const urls = { ...subgraphs.urls, users: proxies.users.url, products: proxies.products.url };
      const proxied = await startRouter(routerConfig({ ...subgraphs, urls }), logger);
      try {
        const { apiKey, id: clientId } = await partners.create(proxied, adminToken, 'acme-feed');
        /** The identities each subgraph was sent since the last call; the verify throws unless the router signed them. */
        const sent = async (name: keyof typeof proxies) =>
          Promise.all(
            proxies[name].take().map(async (headers) => {
              expect(headers['x-api-key']).toBeUndefined();
              expect(headers.authorization).not.toBe(`Bearer ${customer.token}`);
              return subgraphs.identity.verify(headers);
            }),
          );
        await Promise.all([sent('users'), sent('products')]);

        expect((await graphql(proxied, ME, undefined, customer.token)).body.errors).toBeUndefined();
        const viewer = { userId: customer.userId, roles: ['customer'], scopes: [] };
        expect(await sent('users')).toEqual<Identity[]>([{ kind: 'user', viewer }]);

        // A partner: the router resolves the key as itself (users), then runs the operation as the partner.
        expect((await post(proxied, byId(ACME_CATEGORIES), { 'x-api-key': apiKey })).body.errors).toBeUndefined();
        expect(await sent('users')).toEqual<Identity[]>([{ kind: 'router' }]);
        expect(await sent('products')).toEqual<Identity[]>([{ kind: 'partner', clientId, manifestId: 'acme-feed' }]);

        expect(errorsOf((await graphql(proxied, ME)).body)).toEqual([{ path: ['me'], code: 'UNAUTHENTICATED' }]);
        expect(await sent('users')).toEqual([]); // `me` was removed for the anonymous caller: nothing sent
        expect((await graphql(proxied, `{ user(id: "${customer.userId}") { name } }`)).body.errors).toBeUndefined();
        expect(await sent('users')).toEqual<Identity[]>([{ kind: 'anonymous' }]);
      } finally {
        await proxied.stop();
        await Promise.all(Object.values(proxies).map((proxy) => proxy.close()));
      }
    });
  });

  describe('subgraphs called directly, not through the router', () => {
    let product: Awaited<ReturnType<ReturnType<typeof productFixtures>['create']>>;
    const url = (name: string) => String(subgraphs.urls[name]);
    const PRODUCT = `query Product($id: ID!) {
      public: product(id: $id) { name inStock }
      inventory: product(id: $id) { available }
    }`;

    beforeAll(async () => {
      product = await products.create({ stock: 7, reserved: 2 });
    });

    it.each([
      ['products', CATEGORIES],
      ['users', 'query { users(first: 1) { totalCount } }'],
      ['users', ME],
    ])("refuse a user's access token, even an admin's (%s: %s)", async (name, query) => {
      const { body } = await post(url(name), { query }, bearer(adminToken));
      expect(body.data ?? null).toBeNull();
      expect(errorsOf(body)).toEqual([{ path: null, code: 'UNAUTHENTICATED' }]);
    });

    it('without a token refuse protected fields and answer public ones', async () => {
      const fields = await post(url('products'), { query: PRODUCT, variables: { id: product.id } });
      expect(fields.body.data).toEqual({ public: { name: product.name, inStock: true }, inventory: null });
      expect(errorsOf(fields.body)).toEqual([{ path: ['inventory', 'available'], code: 'UNAUTHENTICATED' }]);

      const entities = await post(url('products'), {
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { available } } }',
        variables: { r: [{ __typename: 'Product', id: product.id }] },
      });
      expect(errorsOf(entities.body)).toEqual([{ path: ['_entities', 0, 'available'], code: 'UNAUTHENTICATED' }]);

      const users = await post(url('users'), { query: 'query { me { id } users(first: 1) { totalCount } }' });
      expect(users.body.data ?? null).toBeNull();
      expect(errorsOf(users.body)).toEqual([
        { path: ['me'], code: 'UNAUTHENTICATED' },
        { path: ['users'], code: 'UNAUTHENTICATED' },
      ]);

      const adjust = await post(url('products'), {
        query: 'mutation($id: ID!) { adjustStock(productId: $id, delta: 5, reason: "direct") { stockAfter } }',
        variables: { id: product.id },
      });
      expect(errorsOf(adjust.body)).toEqual([{ path: ['adjustStock'], code: 'UNAUTHENTICATED' }]);
      expect(await products.stockOf(product.id)).toBe(7);
    });

    it("serve the router's identity token for the user, and still enforce scopes themselves", async () => {
      const asCustomer = bearer(await subgraphs.asRouter(customer.token));
      const inventory = await post(url('products'), { query: PRODUCT, variables: { id: product.id } }, asCustomer);
      // @policy is the router's decision: the subgraph only checks that the router sent the request.
      expect(inventory.body).toEqual({
        data: { public: { name: product.name, inStock: true }, inventory: { available: 5 } },
      });
      const me = await post(url('users'), { query: ME }, asCustomer);
      expect(me.body).toEqual({ data: { me: { id: customer.userId, email: customer.email } } });

      const adjust = await post(
        url('products'),
        {
          query: 'mutation($id: ID!) { adjustStock(productId: $id, delta: 5, reason: "direct") { stockAfter } }',
          variables: { id: product.id },
        },
        asCustomer,
      );
      expect(errorsOf(adjust.body)).toEqual([{ path: ['adjustStock'], code: 'FORBIDDEN' }]);
      expect(await products.stockOf(product.id)).toBe(7);

      const asOps = bearer(await subgraphs.asRouter(await loginAs(router, 'ops')));
      const low = await post(url('products'), { query: '{ lowStockProducts(first: 1) { id } }' }, asOps);
      expect(low.body.errors).toBeUndefined();
    });

    it('refuse an identity token forged with another key, even under the router key id', async () => {
      const routerKey = await loadOrCreateSigningKey(subgraphs.routerKeyFile);
      const admin = {
        kind: 'user' as const,
        viewer: { userId: customer.userId, roles: ['admin'], scopes: ['users:manage', 'stock:write'] },
      };
      const forgers = [
        createIdentitySigner(otherKey, { ttlSeconds: 60 }),
        createIdentitySigner(
          { ...otherKey, publicJwk: { ...otherKey.publicJwk, kid: routerKey.publicJwk.kid } },
          {
            ttlSeconds: 60,
          },
        ),
      ];
      for (const forger of forgers) {
        const forged = bearer(await forger.sign(admin));
        for (const [name, query] of [
          ['users', ME],
          ['users', '{ users(first: 1) { totalCount } }'],
          ['products', CATEGORIES],
        ] as const) {
          const { body } = await post(url(name), { query }, forged);
          expect(body.data ?? null).toBeNull();
          expect(errorsOf(body)).toEqual([{ path: null, code: 'UNAUTHENTICATED' }]);
        }
      }
    });
  });

  it('gives each of 8 concurrent users their own `me`, 5 identical requests each', async () => {
    const shoppers = await Promise.all(Array.from({ length: 8 }, () => registerCustomer(router)));
    userIds.push(...shoppers.map((shopper) => shopper.userId));
    const answers = await Promise.all(
      shoppers.flatMap((shopper) =>
        Array.from({ length: 5 }, async () => ({
          shopper,
          answer: await graphql(router, ME, undefined, shopper.token),
        })),
      ),
    );
    expect(answers).toHaveLength(40);
    for (const { shopper, answer } of answers) {
      expect(answer).toEqual({ status: 200, body: { data: { me: { id: shopper.userId, email: shopper.email } } } });
    }
  });
});
