import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fetcher } from '@apollo/utils.fetcher';
import { createSubgraphFetcher } from './subgraph-fetcher';

/** A subgraph stand-in that counts requests and answers each with its number and Authorization; `/broken` drops the connection. */
async function countingServer() {
  let count = 0;
  const server = http.createServer((req, res) => {
    count += 1;
    const seen = count;
    req.resume();
    req.on('end', () => {
      if (req.url === '/broken') return res.destroy();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { seen, authorization: req.headers.authorization ?? null } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/graphql`,
    brokenUrl: `${base}/broken`,
    take: () => {
      const taken = count;
      count = 0;
      return taken;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const QUERY = JSON.stringify({ query: 'query Products__reviews__1{_entities{__typename}}', variables: { a: 1 } });
const SHORTHAND = JSON.stringify({ query: '{me{id}}', variables: {} });
const MUTATION = JSON.stringify({ query: 'mutation Rename__users__0{updateProfile{name}}', variables: {} });

function post(fetcher: Fetcher, url: string, body: string, authorization = 'Bearer identity-a') {
  return fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
}

/** `count` concurrent fetches of the same request; the answers' texts. */
async function concurrently(count: number, fetch: () => ReturnType<Fetcher>) {
  const responses = await Promise.all(Array.from({ length: count }, fetch));
  expect(new Set(responses).size).toBe(count); // every sharer has its own response object
  return Promise.all(responses.map((response) => response.text()));
}

describe('subgraph fetcher deduplication', () => {
  let upstream: Awaited<ReturnType<typeof countingServer>>;
  const fetchers: { close: () => Promise<void> }[] = [];

  function fetcherWith(deduplicate: boolean): Fetcher {
    const created = createSubgraphFetcher({ timeoutMs: 5_000, deduplicate });
    fetchers.push(created);
    return created.fetcher;
  }

  beforeAll(async () => {
    upstream = await countingServer();
  });

  afterAll(async () => {
    await Promise.all(fetchers.map((fetcher) => fetcher.close()));
    await upstream.close();
  });

  beforeEach(() => upstream.take());

  it('makes one upstream call for concurrent identical query fetches', async () => {
    const fetcher = fetcherWith(true);
    const texts = await concurrently(5, () => post(fetcher, upstream.url, QUERY));
    expect(upstream.take()).toBe(1);
    expect(new Set(texts)).toEqual(
      new Set([JSON.stringify({ data: { seen: 1, authorization: 'Bearer identity-a' } })]),
    );

    await concurrently(4, () => post(fetcher, upstream.url, SHORTHAND));
    expect(upstream.take()).toBe(1);
  });

  it('fetches again once the shared fetch has completed', async () => {
    const fetcher = fetcherWith(true);
    await post(fetcher, upstream.url, QUERY);
    await post(fetcher, upstream.url, QUERY);
    expect(upstream.take()).toBe(2);
  });

  it('never shares across identities or bodies', async () => {
    const fetcher = fetcherWith(true);
    const answers = await Promise.all([
      post(fetcher, upstream.url, QUERY, 'Bearer identity-a'),
      post(fetcher, upstream.url, QUERY, 'Bearer identity-b'),
      post(fetcher, upstream.url, SHORTHAND, 'Bearer identity-a'),
    ]);
    expect(upstream.take()).toBe(3);
    const authorizations = await Promise.all(
      answers.map(async (answer) => ((await answer.json()) as { data: { authorization: string } }).data.authorization),
    );
    expect(authorizations).toEqual(['Bearer identity-a', 'Bearer identity-b', 'Bearer identity-a']);
  });

  it('never shares mutations, nor a document naming another operation type', async () => {
    const fetcher = fetcherWith(true);
    await concurrently(4, () => post(fetcher, upstream.url, MUTATION));
    expect(upstream.take()).toBe(4);

    const mixed = JSON.stringify({ query: 'query A{a} mutation B{b}', operationName: 'B' });
    await concurrently(3, () => post(fetcher, upstream.url, mixed));
    expect(upstream.take()).toBe(3);
  });

  it('gives every sharer the error of the shared fetch', async () => {
    const fetcher = fetcherWith(true);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () => post(fetcher, upstream.brokenUrl, QUERY)),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(upstream.take()).toBe(1);

    await expect(post(fetcher, upstream.url, QUERY)).resolves.toMatchObject({ status: 200 });
    expect(upstream.take()).toBe(1);
  });

  it('fetches every request when switched off', async () => {
    const fetcher = fetcherWith(false);
    await concurrently(5, () => post(fetcher, upstream.url, QUERY));
    expect(upstream.take()).toBe(5);
  });
});
