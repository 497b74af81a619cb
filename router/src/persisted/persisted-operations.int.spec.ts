// Resolution rules of persisted operations, with the APQ cache in the test stack's Redis.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { Caller } from '../caller';
import { sha256Hex, type Manifest, type ManifestOperation, type Manifests } from './manifests';
import { createPersistedOperations, type FirstPartySafelist } from './persisted-operations';
import type { GraphQLRequestFields } from './request';

const operation = (name: string, body: string): ManifestOperation => ({
  id: sha256Hex(body),
  name,
  type: 'query',
  body,
});
const manifest = (file: string, operations: ManifestOperation[]): Manifest => ({
  file,
  operations: new Map(operations.map((op) => [op.id, op])),
});

const WEB = operation('Products', 'query Products { products { totalCount } }');
const ACME = operation('AcmeFeed', 'query AcmeFeed { products { edges { node { id available } } } }');
const PRICES = operation('PriceFeed', 'query PriceFeed { products { edges { node { id price { amount } } } } }');
const manifests: Manifests = {
  web: manifest('web.json', [WEB]),
  partners: new Map([
    ['acme-feed', manifest('partners/acme-feed.json', [ACME])],
    ['price-compare', manifest('partners/price-compare.json', [PRICES])],
  ]),
};

const UNKNOWN = 'query Unlisted { me { id } }';
const UNKNOWN_HASH = sha256Hex(UNKNOWN);
const anonymous: Caller = { kind: 'anonymous', ip: '127.0.0.1' };
const user: Caller = { kind: 'user', userId: 'u-1', roles: ['customer'], scopes: [] };
const acme: Caller = { kind: 'partner', clientId: 'c-1', name: 'Acme', manifestId: 'acme-feed' };
const FIRST_PARTY = [
  ['anonymous', anonymous],
  ['user', user],
] as const;

const byHash = (sha256Hash: string): GraphQLRequestFields => ({
  extensions: { persistedQuery: { version: 1, sha256Hash } },
});
const register = (query: string, sha256Hash = sha256Hex(query)) => ({ query, ...byHash(sha256Hash) });
const NOT_FOUND = { ok: false, code: 'PERSISTED_QUERY_NOT_FOUND', message: 'PersistedQueryNotFound' };
const NOT_IN_LIST = { ok: false, code: 'PERSISTED_QUERY_NOT_IN_LIST', status: 400 };

describe('persisted operations', () => {
  const redisUrl = process.env.REDIS_URL ?? '';
  const redis = new Redis(redisUrl);
  let keyPrefix: string;
  let logs: { msg: string; [field: string]: unknown }[];

  /** A resolver as one router replica builds it: its own Redis connection unless given one. */
  const replica = (firstPartySafelist: FirstPartySafelist, client: Redis = redis) =>
    createPersistedOperations({
      redis: client,
      manifests,
      firstPartySafelist,
      apqTtlSeconds: 3600,
      keyPrefix,
      logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) }),
    });
  const logged = (msg: string) => logs.filter((entry) => entry.msg === msg);

  beforeEach(() => {
    keyPrefix = `test:persisted:${randomUUID()}:`;
    logs = [];
  });

  afterEach(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  afterAll(async () => {
    await redis.quit();
  });

  describe('automatic persisted queries (first-party)', () => {
    it.each(FIRST_PARTY)('%s: registers with hash + query, then runs by hash alone', async (_kind, caller) => {
      const router = replica('off');

      expect(await router.resolve(byHash(UNKNOWN_HASH), caller)).toEqual({ ...NOT_FOUND, status: 200 });
      expect(await router.resolve(register(UNKNOWN), caller)).toEqual({
        ok: true,
        query: UNKNOWN,
        persistedId: UNKNOWN_HASH,
        source: 'apq',
      });
      expect(await router.resolve(byHash(UNKNOWN_HASH), caller)).toEqual({
        ok: true,
        query: UNKNOWN,
        persistedId: UNKNOWN_HASH,
        source: 'apq',
      });
    });

    it('stores the text under <prefix>apq:<sha256> with the configured TTL', async () => {
      await replica('off').resolve(register(UNKNOWN), anonymous);

      const key = `${keyPrefix}apq:${UNKNOWN_HASH}`;
      expect(await redis.get(key)).toBe(UNKNOWN);
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3600);
    });

    it('shares registrations between router replicas', async () => {
      const other = new Redis(redisUrl);
      try {
        await replica('log_unknown').resolve(register(UNKNOWN), user);
        expect(await replica('log_unknown', other).resolve(byHash(UNKNOWN_HASH), anonymous)).toMatchObject({
          ok: true,
          query: UNKNOWN,
        });
      } finally {
        await other.quit();
      }
    });

    it('refuses a hash that is not the sha256 of the query, and stores nothing', async () => {
      const wrong = sha256Hex('something else');
      expect(await replica('off').resolve(register(UNKNOWN, wrong), user)).toEqual({
        ok: false,
        code: 'BAD_REQUEST',
        message: 'provided sha does not match query',
        status: 400,
      });
      expect(await redis.keys(`${keyPrefix}*`)).toEqual([]);
    });

    it('takes documentId (optionally sha256:-prefixed) as the operation id', async () => {
      const router = replica('off');
      await router.resolve(register(UNKNOWN), user);
      expect(await router.resolve({ documentId: `sha256:${UNKNOWN_HASH}` }, user)).toMatchObject({
        ok: true,
        query: UNKNOWN,
      });
      expect(await router.resolve({ documentId: WEB.id }, anonymous)).toMatchObject({ ok: true, query: WEB.body });
    });

    it('resolves web manifest ids from memory, without Redis', async () => {
      expect(await replica('off').resolve(byHash(WEB.id), anonymous)).toEqual({
        ok: true,
        query: WEB.body,
        persistedId: WEB.id,
        source: 'manifest',
      });
      expect(await redis.keys(`${keyPrefix}*`)).toEqual([]);
    });

    describe('with Redis down', () => {
      const down = new Redis('redis://127.0.0.1:1', {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      afterAll(async () => {
        // Once its one connection attempt has failed the client has ended; disconnecting it then
        // would leave a timer behind.
        if (down.status !== 'end') await new Promise((resolve) => down.once('end', resolve).disconnect());
      });

      it('answers PersistedQueryNotFound for a hash (the client resends the query) and logs it', async () => {
        expect(await replica('off', down).resolve(byHash(UNKNOWN_HASH), user)).toEqual({ ...NOT_FOUND, status: 200 });
        expect(logged('APQ lookup failed: answering PersistedQueryNotFound')).toHaveLength(1);
      });

      it('still serves a query whose registration could not be stored', async () => {
        expect(await replica('off', down).resolve(register(UNKNOWN), user)).toMatchObject({ ok: true, query: UNKNOWN });
        expect(logged('APQ store failed: serving the query uncached')).toHaveLength(1);
      });

      it('still resolves web manifest ids', async () => {
        expect(await replica('enforce', down).resolve(byHash(WEB.id), user)).toMatchObject({
          ok: true,
          query: WEB.body,
        });
      });
    });
  });

  describe('first-party safelist modes', () => {
    it.each(FIRST_PARTY)('off: %s may run any freeform query, nothing is logged', async (_kind, caller) => {
      expect(await replica('off').resolve({ query: UNKNOWN }, caller)).toEqual({
        ok: true,
        query: UNKNOWN,
        source: 'freeform',
      });
      expect(logs).toEqual([]);
    });

    it.each(FIRST_PARTY)(
      'log_unknown: %s runs unknown operations, each logged once with its name and hash',
      async (_kind, caller) => {
        const router = replica('log_unknown');

        for (let i = 0; i < 3; i += 1) {
          expect(await router.resolve({ query: UNKNOWN, operationName: 'Unlisted' }, caller)).toMatchObject({
            ok: true,
            query: UNKNOWN,
          });
        }
        expect(await router.resolve({ query: WEB.body }, caller)).toEqual({
          ok: true,
          query: WEB.body,
          persistedId: WEB.id,
          source: 'manifest',
        });
        await router.resolve(register('query Other { __typename }'), caller);

        expect(logged('operation not in the web persisted query manifest')).toEqual([
          expect.objectContaining({ operationName: 'Unlisted', hash: UNKNOWN_HASH, level: 30 }),
          expect.objectContaining({ operationName: null, hash: sha256Hex('query Other { __typename }') }),
        ]);
      },
    );

    it.each(FIRST_PARTY)('enforce: %s may run web manifest operations, by body or by id', async (_kind, caller) => {
      const router = replica('enforce');
      expect(await router.resolve({ query: WEB.body }, caller)).toMatchObject({ ok: true, persistedId: WEB.id });
      expect(await router.resolve(byHash(WEB.id), caller)).toMatchObject({ ok: true, query: WEB.body });
      expect(await router.resolve(register(WEB.body), caller)).toMatchObject({ ok: true, query: WEB.body });
    });

    it.each(FIRST_PARTY)('enforce: %s gets PERSISTED_QUERY_NOT_IN_LIST for anything else', async (_kind, caller) => {
      const router = replica('enforce');
      expect(await router.resolve({ query: UNKNOWN }, caller)).toMatchObject(NOT_IN_LIST);
      expect(await router.resolve({ query: `${WEB.body} ` }, caller)).toMatchObject(NOT_IN_LIST);
      expect(await router.resolve(register(UNKNOWN), caller)).toMatchObject(NOT_IN_LIST);
      expect(await redis.keys(`${keyPrefix}*`)).toEqual([]);
    });

    it('enforce: ids must be web manifest ids, even when the APQ cache holds the text', async () => {
      await replica('off').resolve(register(UNKNOWN), user);
      expect(await replica('enforce').resolve(byHash(UNKNOWN_HASH), user)).toEqual({ ...NOT_FOUND, status: 200 });
    });

    it("never resolves a partner's operation for a first-party caller", async () => {
      expect(await replica('off').resolve(byHash(ACME.id), user)).toEqual({ ...NOT_FOUND, status: 200 });
    });
  });

  describe('partners', () => {
    it.each(['log_unknown', 'off', 'enforce'] as const)(
      'run operations of their own manifest by id (first-party mode %s)',
      async (mode) => {
        const router = replica(mode);
        const ok = { ok: true, query: ACME.body, persistedId: ACME.id, source: 'manifest' };
        expect(await router.resolve(byHash(ACME.id), acme)).toEqual(ok);
        expect(await router.resolve({ documentId: ACME.id }, acme)).toEqual(ok);
        expect(await router.resolve({ documentId: `sha256:${ACME.id}`, ...byHash(ACME.id) }, acme)).toEqual(ok);
      },
    );

    it('get PERSISTED_QUERY_NOT_IN_LIST for freeform GraphQL, even the text of their own operation', async () => {
      const router = replica('off');
      expect(await router.resolve({ query: ACME.body }, acme)).toMatchObject(NOT_IN_LIST);
      expect(await router.resolve({ query: UNKNOWN }, acme)).toMatchObject(NOT_IN_LIST);
    });

    it('cannot register APQs', async () => {
      expect(await replica('off').resolve(register(UNKNOWN), acme)).toMatchObject(NOT_IN_LIST);
      expect(await replica('off').resolve(byHash(UNKNOWN_HASH), acme)).toEqual({ ...NOT_FOUND, status: 400 });
      expect(await redis.keys(`${keyPrefix}*`)).toEqual([]);
    });

    it("get a final (400) PERSISTED_QUERY_NOT_FOUND for other partners', web and APQ ids", async () => {
      const router = replica('off');
      await router.resolve(register(UNKNOWN), user);
      for (const id of [PRICES.id, WEB.id, UNKNOWN_HASH, 'not-a-hash']) {
        expect(await router.resolve(byHash(id), acme)).toEqual({ ...NOT_FOUND, status: 400 });
      }
    });

    it('without a manifest file are denied everything, with one warning', async () => {
      const router = replica('off');
      const orphan: Caller = { kind: 'partner', clientId: 'c-2', name: 'Orphan', manifestId: 'no-such-manifest' };
      for (const request of [byHash(ACME.id), { query: UNKNOWN }, byHash(WEB.id), {}]) {
        expect(await router.resolve(request, orphan)).toEqual({ ...NOT_FOUND, status: 400 });
      }
      expect(logged('partner client has no persisted query manifest: every operation is denied')).toEqual([
        expect.objectContaining({ manifestId: 'no-such-manifest' }),
      ]);
    });
  });

  describe('malformed requests', () => {
    it.each([
      ['no query and no id', {}, '`query`'],
      ['a query that is not a string', { query: { a: 1 } }, 'query must be a string'],
      ['extensions that are not an object', { query: UNKNOWN, extensions: 'x' }, 'extensions must be an object'],
      [
        'an unsupported persisted query version',
        { extensions: { persistedQuery: { version: 2, sha256Hash: WEB.id } } },
        'Unsupported persisted query version',
      ],
      ['a hash that is not a string', { extensions: { persistedQuery: { version: 1, sha256Hash: 1 } } }, 'sha256Hash'],
      ['a documentId that is not a string', { documentId: 42 }, 'documentId must be a string'],
      ['a documentId and a hash that differ', { documentId: ACME.id, ...byHash(WEB.id) }, 'different operations'],
    ])('answer BAD_REQUEST (400) for %s', async (_case, request, message) => {
      for (const caller of [anonymous, acme]) {
        expect(await replica('off').resolve(request, caller)).toEqual({
          ok: false,
          code: 'BAD_REQUEST',
          message: expect.stringContaining(message),
          status: 400,
        });
      }
    });
  });
});
