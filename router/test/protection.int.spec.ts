// Protection through the real router: limits per client type, rate limits, request handling,
// introspection and masking of subgraph failures.
import { randomInt, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Agent, request, type Dispatcher } from 'undici';
import { startRouter, type RunningRouter } from '../src';
import { sha256Hex } from '../src/persisted';
import { readOperationLimits } from '../src/protection';
import { logger, loginAs, metricTotal, routerConfig, scratchDir, startSubgraphs, type GraphQLBody } from './harness';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: GraphQLBody;
}

/** Sends one request to `url` exactly as given; `from` picks the connection's source address. */
async function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: Dispatcher } = {},
): Promise<Answer> {
  const response = await request(url, {
    method: (options.method ?? 'POST') as Dispatcher.HttpMethod,
    headers: options.headers,
    body: options.body,
    dispatcher: options.from,
    // A bound far above any limit under test: a request that never answers fails instead of hanging.
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.body.text();
  let body: GraphQLBody = {};
  try {
    body = JSON.parse(text) as GraphQLBody;
  } catch {
    // Not JSON: left empty, the tests that care assert on `text`.
  }
  return { status: response.statusCode, headers: response.headers, text, body };
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** POSTs `{ query, variables, ... }` as JSON with `headers`. */
const post = (router: RunningRouter, fields: Record<string, unknown>, headers: Record<string, string> = {}) =>
  send(router.url, { headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(fields) });

const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.['code'];
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A loopback source address of its own, so this file's rate-limit buckets are not shared with other suites. */
function loopbackClient() {
  const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  return { address, agent: new Agent({ localAddress: address }) };
}

// Anonymous callers get a small budget, users a large one: each operation below is over one
// anonymous limit and within every user limit.
const OPERATION_LIMITS = readOperationLimits(
  JSON.stringify({
    anonymous: { maxDepth: 6, maxAliases: 2, maxRootFields: 2, maxTokens: 200, maxCost: 100, defaultListSize: 10 },
    user: { maxDepth: 12, maxAliases: 20, maxRootFields: 10, maxTokens: 5_000, maxCost: 10_000, defaultListSize: 10 },
  }),
);

const TOO_DEEP = '{ categories { parent { parent { parent { parent { parent { id } } } } } } }';
const TOO_MANY_ALIASES = '{ categories { a: id b: slug c: name } }';
const TOO_MANY_ROOT_FIELDS =
  '{ categories { id } products(first: 1) { totalCount } product(id: "00000000-0000-0000-0000-000000000000") { id } }';
const TOO_MANY_TOKENS = `{ categories { id ${'slug '.repeat(250)}} }`;
// 1 + first x (edge 1 + node 1 + category 1 + parent 1): 201 at first: 50, 21 at first: 5.
const PRODUCT_PAGE = 'edges { node { id category { id parent { id } } } }';
const COSTLY_LITERAL = `{ products(first: 50) { ${PRODUCT_PAGE} } }`;
const CHEAP_LITERAL = `{ products(first: 5) { ${PRODUCT_PAGE} } }`;
const COST_BY_VARIABLE = `query Page($first: Int!) { products(first: $first) { ${PRODUCT_PAGE} } }`;

const INTROSPECTION = '{ __schema { queryType { name } } }';
const PARTNER_INTROSPECTION = 'query SchemaProbe {\n  __schema {\n    queryType {\n      name\n    }\n  }\n}';
const PROBE_MANIFEST = 'protection-probe';

jest.setTimeout(60_000);

describe('router protection', () => {
  let subgraphs: Subgraphs;
  let router: RunningRouter;
  let userToken: string;
  const scratch = scratchDir();
  const routers: RunningRouter[] = [];
  const partnerIds: string[] = [];

  const start = async (overrides: Parameters<typeof routerConfig>[1], at = subgraphs) => {
    const started = await startRouter(routerConfig(at, overrides), logger);
    routers.push(started);
    return started;
  };

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    // The real web manifest plus a partner manifest holding an introspection operation, so the
    // introspection rule (not the safelist) is what refuses the partner.
    const persisted = scratch.dir;
    mkdirSync(path.join(persisted, 'partners'));
    copyFileSync(path.resolve(__dirname, '../../schema/persisted-queries/web.json'), path.join(persisted, 'web.json'));
    scratch.file(
      `partners/${PROBE_MANIFEST}.json`,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [
          { id: sha256Hex(PARTNER_INTROSPECTION), name: 'SchemaProbe', type: 'query', body: PARTNER_INTROSPECTION },
        ],
      }),
    );
    router = await start({ operationLimits: OPERATION_LIMITS, persistedQueriesDir: persisted });
    userToken = (await subgraphs.tokens.issue({ id: randomUUID(), roles: ['customer'] })).token;
  }, 120_000);

  afterAll(async () => {
    if (subgraphs) await subgraphs.prisma.partnerClient.deleteMany({ where: { id: { in: partnerIds } } });
    for (const running of routers) await running.stop();
    await subgraphs?.stop();
    scratch.dispose();
  });

  describe('operation limits per client type', () => {
    it.each([
      ['too deep', 'MAX_DEPTH_LIMIT', TOO_DEEP],
      ['too many aliases', 'MAX_ALIASES_LIMIT', TOO_MANY_ALIASES],
      ['too many root fields', 'MAX_ROOT_FIELDS_LIMIT', TOO_MANY_ROOT_FIELDS],
      ['too many tokens', 'MAX_TOKENS_LIMIT', TOO_MANY_TOKENS],
      ['too expensive (list size from a literal)', 'COST_ESTIMATED_TOO_EXPENSIVE', COSTLY_LITERAL],
    ])('%s: refused for anonymous with HTTP 400 and %s, runs for a user', async (_name, code, query) => {
      const anonymous = await post(router, { query });
      expect(anonymous.status).toBe(400);
      expect(anonymous.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });

      const user = await post(router, { query }, bearer(userToken));
      expect(user.status).toBe(200);
      expect(user.body.errors).toBeUndefined();
      expect(user.body.data).toEqual(expect.any(Object));
    });

    it('takes list sizes from variables: the same operation passes or fails on the value of $first', async () => {
      const costly = await post(router, { query: COST_BY_VARIABLE, variables: { first: 50 } });
      expect(costly.status).toBe(400);
      expect(codeOf(costly)).toBe('COST_ESTIMATED_TOO_EXPENSIVE');

      const cheap = await post(router, { query: COST_BY_VARIABLE, variables: { first: 5 } });
      expect(cheap.status).toBe(200);
      expect((cheap.body.data?.products as { edges: unknown[] }).edges).toHaveLength(5);

      const literal = await post(router, { query: CHEAP_LITERAL });
      expect(literal.status).toBe(200);
      expect(literal.body.errors).toBeUndefined();

      const user = await post(router, { query: COST_BY_VARIABLE, variables: { first: 50 } }, bearer(userToken));
      expect(user.status).toBe(200);
      expect((user.body.data?.products as { edges: unknown[] }).edges).toHaveLength(50);
    });

    it('refuses a token flood for every client type, before parsing it all', async () => {
      const flood = `{ ${'x '.repeat(20_000)}}`;
      for (const headers of [{}, bearer(userToken)]) {
        const answer = await post(router, { query: flood }, headers);
        expect(answer.status).toBe(400);
        expect(codeOf(answer)).toBe('MAX_TOKENS_LIMIT');
      }
    });
  });

  describe('rate limiting', () => {
    // Slow refill (one token per 20 s): the tests never see a token come back.
    const tinyBuckets = {
      rateLimits: {
        anonymous: { capacity: 3, refillPerSecond: 0.05 },
        user: { capacity: 3, refillPerSecond: 0.05 },
        partner: { capacity: 3, refillPerSecond: 0.05 },
      },
    };
    let limited: RunningRouter;
    let replica: RunningRouter;
    const clients: ReturnType<typeof loopbackClient>[] = [];
    const bucketKeys: string[] = [];

    const client = () => {
      const created = loopbackClient();
      clients.push(created);
      bucketKeys.push(`ratelimit:ip:${created.address}`);
      return created;
    };
    const typename = (target: RunningRouter, from: Dispatcher, headers: Record<string, string> = {}) =>
      send(target.url, {
        headers: { ...JSON_TYPE, ...headers },
        body: JSON.stringify({ query: '{ __typename }' }),
        from,
      });

    function expectRateLimited(answer: Answer) {
      expect(answer.status).toBe(429);
      const retryAfter = Number(answer.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(20);
      expect(answer.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'RATE_LIMITED' } }] });
    }

    beforeAll(async () => {
      limited = await start(tinyBuckets);
      replica = await start(tinyBuckets);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(clients.map((created) => created.agent.close()));
      if (bucketKeys.length > 0) await subgraphs.redis.del(...bucketKeys);
    });

    it('answers the request over an anonymous bucket with 429, Retry-After and RATE_LIMITED, and counts it', async () => {
      const rejections = async () =>
        metricTotal(await (await fetch(limited.metricsUrl)).text(), 'router_rate_limit_rejections_total', {
          caller: 'anonymous',
          transport: 'http',
        });
      const before = await rejections();
      const { agent } = client();
      for (let i = 0; i < 3; i += 1) expect((await typename(limited, agent)).status).toBe(200);
      expectRateLimited(await typename(limited, agent));
      expect((await rejections()) - before).toBe(1);
    });

    it('gives each client behind a trusted proxy its own bucket, and ignores the header from anyone else', async () => {
      const behindProxy = await start({ ...tinyBuckets, trustedProxies: ['loopback'] });
      const proxy = client(); // a loopback peer: trusted
      const forwarded = (address: string) => ({ 'x-forwarded-for': `198.51.100.${address}` });
      const first = String(randomInt(1, 255));
      bucketKeys.push(`ratelimit:ip:198.51.100.${first}`);
      for (let i = 0; i < 3; i += 1)
        expect((await typename(behindProxy, proxy.agent, forwarded(first))).status).toBe(200);
      expectRateLimited(await typename(behindProxy, proxy.agent, forwarded(first)));
      const second = String((Number(first) % 254) + 1);
      bucketKeys.push(`ratelimit:ip:198.51.100.${second}`);
      expect((await typename(behindProxy, proxy.agent, forwarded(second))).status).toBe(200);

      // Without trusted proxies the header is the caller's word: every request counts for the peer.
      const direct = client();
      for (let i = 0; i < 3; i += 1) {
        expect((await typename(limited, direct.agent, forwarded(String(i + 1)))).status).toBe(200);
      }
      expectRateLimited(await typename(limited, direct.agent, forwarded('200')));
    });

    it('gives a user a bucket of its own, apart from its IP', async () => {
      const { agent } = client();
      for (let i = 0; i < 3; i += 1) expect((await typename(limited, agent)).status).toBe(200);
      expectRateLimited(await typename(limited, agent));

      const userId = randomUUID();
      bucketKeys.push(`ratelimit:user:${userId}`);
      const { token } = await subgraphs.tokens.issue({ id: userId, roles: ['customer'] });
      for (let i = 0; i < 3; i += 1) expect((await typename(limited, agent, bearer(token))).status).toBe(200);
      expectRateLimited(await typename(limited, agent, bearer(token)));
      expectRateLimited(await typename(limited, agent));
    });

    it('shares buckets between router replicas on the same Redis', async () => {
      const { agent } = client();
      expect((await typename(limited, agent)).status).toBe(200);
      expect((await typename(replica, agent)).status).toBe(200);
      expect((await typename(limited, agent)).status).toBe(200);
      expectRateLimited(await typename(replica, agent));
      expectRateLimited(await typename(limited, agent));
    });
  });

  describe('request handling', () => {
    it('refuses malformed JSON with 400 BAD_REQUEST', async () => {
      const answer = await send(router.url, { headers: JSON_TYPE, body: '{"query": "{ __typename }"' });
      expect(answer.status).toBe(400);
      expect(codeOf(answer)).toBe('BAD_REQUEST');
    });

    it('refuses a text/plain body without a preflight header as CSRF (400) and other content types with 415', async () => {
      const body = JSON.stringify({ query: '{ __typename }' });
      const csrf = await send(router.url, { headers: { 'content-type': 'text/plain' }, body });
      expect(csrf.status).toBe(400);
      expect(codeOf(csrf)).toBe('BAD_REQUEST');
      expect(csrf.body.errors?.[0]?.message).toMatch(/CSRF/);

      const noType = await send(router.url, { body });
      expect(noType.status).toBe(400);
      expect(noType.body.errors?.[0]?.message).toMatch(/CSRF/);

      for (const contentType of ['application/xml', 'text/html']) {
        const other = await send(router.url, { headers: { 'content-type': contentType }, body });
        expect(other.status).toBe(415);
        expect(codeOf(other)).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
      const preflighted = await send(router.url, {
        headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' },
        body,
      });
      expect(preflighted.status).toBe(415);
    });

    it('refuses bodies over maxBodyBytes with 413 PAYLOAD_TOO_LARGE', async () => {
      const answer = await send(router.url, {
        headers: JSON_TYPE,
        body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(80 * 1024)}` }),
      });
      expect(answer.status).toBe(413);
      expect(codeOf(answer)).toBe('PAYLOAD_TOO_LARGE');
    });

    it('refuses batches, non-object bodies and wrongly typed fields with 400 BAD_REQUEST', async () => {
      const bodies = [
        [{ query: '{ __typename }' }, { query: '{ __typename }' }],
        'just a string',
        42,
        null,
        { query: '{ __typename }', variables: 'id=1' },
        { query: '{ __typename }', variables: [1, 2] },
        { query: '{ __typename }', extensions: 'x' },
        { query: 7 },
        { query: '{ __typename }', operationName: 7 },
        {},
      ];
      for (const body of bodies) {
        const answer = await send(router.url, { headers: JSON_TYPE, body: JSON.stringify(body) });
        expect([JSON.stringify(body), answer.status, codeOf(answer)]).toEqual([
          JSON.stringify(body),
          400,
          'BAD_REQUEST',
        ]);
      }
    });

    it('runs with a 60 KB variables object under the 64 KB limit and refuses a 70 KB one with 413', async () => {
      // Variables the operation does not declare are ignored, but still read and parsed.
      const query = '{ __typename }';
      const fits = await post(router, { query, variables: { blob: 'v'.repeat(60 * 1024) } });
      expect(fits.status).toBe(200);
      expect(fits.body).toEqual({ data: { __typename: 'Query' } });

      const tooBig = await post(router, { query, variables: { blob: 'v'.repeat(70 * 1024) } });
      expect(tooBig.status).toBe(413);
      expect(codeOf(tooBig)).toBe('PAYLOAD_TOO_LARGE');
    });

    it.each(['variables', 'extensions'])(
      'answers 10 000 levels of nested JSON in %s with a GraphQL response, not a server error',
      async (field) => {
        const nested = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
        const answer = await send(router.url, {
          headers: JSON_TYPE,
          body: `{"query":"{ __typename }","${field}":${nested}}`,
        });
        expect([200, 400]).toContain(answer.status);
        if (answer.status === 200) expect(answer.body).toEqual({ data: { __typename: 'Query' } });
        else expect(codeOf(answer)).toBe('BAD_REQUEST');
      },
    );

    it('answers a GET query and refuses a GET mutation with 405', async () => {
      const preflight = { 'apollo-require-preflight': 'true' };
      const query = await send(`${router.url}?query=${encodeURIComponent('{ categories { slug } }')}`, {
        method: 'GET',
        headers: preflight,
      });
      expect(query.status).toBe(200);
      expect(query.body.data?.categories).toEqual(expect.arrayContaining([{ slug: expect.any(String) }]));

      const login = 'mutation { login(email: "nobody@example.com", password: "not a password") { token } }';
      const mutation = await send(`${router.url}?query=${encodeURIComponent(login)}`, {
        method: 'GET',
        headers: preflight,
      });
      expect(mutation.status).toBe(405);
      expect(mutation.body.data).toBeUndefined();
      expect(codeOf(mutation)).toBe('BAD_REQUEST');

      const csrf = await send(`${router.url}?query=${encodeURIComponent('{ __typename }')}`, { method: 'GET' });
      expect(csrf.status).toBe(400);
    });

    it.each([
      ['an unknown operationName', { query: 'query A { __typename }', operationName: 'B' }],
      ['several operations and no operationName', { query: 'query A { __typename } query B { __typename }' }],
    ])('refuses %s with 400 and a stable GraphQL error code', async (_name, fields) => {
      const first = await post(router, fields);
      const again = await post(router, fields);
      expect(first.status).toBe(400);
      expect(codeOf(first)).toBe('OPERATION_RESOLUTION_FAILURE');
      expect(again.body).toEqual(first.body);
    });

    it('refuses a subscription (the supergraph has none) with 400, not as an internal error', async () => {
      const answer = await post(router, { query: 'subscription { categories { id } }' });
      expect(answer.status).toBe(400);
      expect(codeOf(answer)).toEqual(expect.any(String));
      expect(codeOf(answer)).not.toBe('INTERNAL_SERVER_ERROR');
    });

    it('refuses a syntax error with 400 GRAPHQL_PARSE_FAILED and an invalid operation with GRAPHQL_VALIDATION_FAILED', async () => {
      const syntax = await post(router, { query: '{ categories { id }' });
      expect(syntax.status).toBe(400);
      expect(codeOf(syntax)).toBe('GRAPHQL_PARSE_FAILED');

      const invalid = await post(router, { query: '{ categories { nope } }' });
      expect(invalid.status).toBe(400);
      expect(codeOf(invalid)).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  describe('introspection', () => {
    it('is allowed for anonymous callers and users where the explorer is on', async () => {
      for (const headers of [{}, bearer(userToken)]) {
        const answer = await post(router, { query: INTROSPECTION }, headers);
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
      }
    });

    it('is refused for a partner, even through its own manifest', async () => {
      const admin = await loginAs(router, 'admin');
      const create = await post(
        router,
        {
          query: `mutation($input: CreatePartnerClientInput!) {
            createPartnerClient(input: $input) { apiKey client { id } }
          }`,
          variables: { input: { name: `protection probe ${randomUUID()}`, manifestId: PROBE_MANIFEST } },
        },
        bearer(admin),
      );
      const created = create.body.data?.createPartnerClient as { apiKey: string; client: { id: string } };
      partnerIds.push(created.client.id);
      const apiKey = { 'x-api-key': created.apiKey };

      const byId = await post(
        router,
        { extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(PARTNER_INTROSPECTION) } } },
        apiKey,
      );
      expect(byId.status).toBe(400);
      expect(byId.body).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'INTROSPECTION_DISABLED' } }],
      });

      const freeform = await post(router, { query: INTROSPECTION }, apiKey);
      expect(freeform.status).toBe(400);
      expect(freeform.body.data).toBeUndefined();
    });

    it('is refused for everyone where the explorer is off', async () => {
      const closed = await start({ explorerEnabled: false });
      for (const headers of [{}, bearer(userToken)]) {
        for (const query of [INTROSPECTION, '{ __type(name: "Query") { name } }']) {
          const answer = await post(closed, { query }, headers);
          expect(answer.status).toBe(400);
          expect(codeOf(answer)).toBe('INTROSPECTION_DISABLED');
        }
      }
      expect((await post(closed, { query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
    });
  });

  describe('subgraph failures', () => {
    const INTERNALS = /relation|stacktrace|\/srv\/|app\.js|node_modules|Headers Timeout|UND_ERR/i;
    const RATED_PRODUCTS = '{ products(first: 2) { edges { node { id name rating { average } } } } }';
    let behaviour: 'leak' | 'hang' = 'leak';
    let faulty: RunningRouter;
    const reviews = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (behaviour === 'hang') return;
        res.writeHead(200, JSON_TYPE);
        res.end(
          JSON.stringify({
            errors: [
              {
                message: 'relation "x" does not exist at /srv/app.js:12',
                extensions: {
                  code: 'INTERNAL_SERVER_ERROR',
                  stacktrace: ['Error: relation "x"', '    at /srv/app.js:12:7'],
                },
              },
            ],
          }),
        );
      });
    });

    beforeAll(async () => {
      await new Promise<void>((resolve) => reviews.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(reviews.address() as AddressInfo).port}/graphql`;
      faulty = await start({ subgraphTimeoutMs: 500 }, { ...subgraphs, urls: { ...subgraphs.urls, reviews: url } });
    }, 60_000);

    afterAll(async () => {
      reviews.closeAllConnections();
      await new Promise((resolve) => reviews.close(resolve));
    });

    it('masks an internal error from a subgraph: no message, path or stack trace reaches the client', async () => {
      behaviour = 'leak';
      const answer = await post(faulty, { query: RATED_PRODUCTS });
      expect(answer.status).toBe(200);
      expect(answer.text).not.toMatch(INTERNALS);
      expect(answer.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['INTERNAL_SERVER_ERROR']);
    });

    it('gives up on a hanging subgraph after subgraphTimeoutMs with a masked error, and keeps serving', async () => {
      behaviour = 'hang';
      const answer = await post(faulty, { query: RATED_PRODUCTS });
      expect(answer.status).toBe(200);
      expect(answer.text).not.toMatch(INTERNALS);
      expect(answer.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['INTERNAL_SERVER_ERROR']);

      const unaffected = await post(faulty, { query: '{ products(first: 2) { edges { node { id name } } } }' });
      expect(unaffected.body.errors).toBeUndefined();
      expect((unaffected.body.data?.products as { edges: unknown[] }).edges).toHaveLength(2);
    });
  });
});
