import { boundedLabel, Counter, metrics, metricsRoutes, outcomeOf } from './metrics';
import { createHttpServer, listen } from './http';

describe('boundedLabel', () => {
  it('keeps the first distinct values and counts later new ones as other', () => {
    const label = boundedLabel(2);
    expect(['a', 'b', 'a', 'c', 'b', 'd'].map(label)).toEqual(['a', 'b', 'a', 'other', 'b', 'other']);
  });

  it('cuts long values', () => {
    expect(boundedLabel()('x'.repeat(500))).toHaveLength(100);
  });
});

describe('outcomeOf', () => {
  it('is success without errors, else the first error code', () => {
    expect(outcomeOf(undefined)).toBe('success');
    expect(outcomeOf([])).toBe('success');
    expect(outcomeOf([{ extensions: { code: 'NOT_FOUND' } }, { extensions: { code: 'FORBIDDEN' } }])).toBe('NOT_FOUND');
  });

  it('never takes a code that is not an error-code word as a label value', () => {
    expect(outcomeOf([{}])).toBe('INTERNAL_SERVER_ERROR');
    expect(outcomeOf([{ extensions: { code: 'x"}\nevil 1' } }])).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('metricsRoutes', () => {
  const served = new Counter({ name: 'metrics_spec_things_total', help: 'things', registers: [metrics] });
  const server = createHttpServer(metricsRoutes(), (error) => {
    throw error;
  });
  let url = '';

  beforeAll(async () => {
    url = `http://127.0.0.1:${await listen(server, 0)}/metrics`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('serves the registry as Prometheus text', async () => {
    served.inc(3);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain('metrics_spec_things_total 3');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    const post = await fetch(url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
