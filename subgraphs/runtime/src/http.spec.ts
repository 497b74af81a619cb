import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { createHttpServer, graphqlHandler, healthRoutes, listen } from './http';

describe('http', () => {
  const server = new ApolloServer({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
  });
  const routes = {};
  const httpServer = createHttpServer(routes, () => undefined);
  let base: string;

  beforeAll(async () => {
    await server.start();
    Object.assign(routes, {
      ...healthRoutes({ ready: async () => Promise.reject(new Error('database down')) }),
      '/graphql': graphqlHandler({ server, context: async () => ({}), maxBodyBytes: 200 }),
    });
    const port = await listen(httpServer, 0);
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await server.stop();
    await new Promise((resolve) => httpServer.close(resolve));
  });

  const post = (body: string) =>
    fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('executes a GraphQL request', async () => {
    const response = await post('{"query":"{ hello }"}');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { hello: 'world' } });
  });

  it('answers 413 with a code for a body over the limit', async () => {
    const response = await post(JSON.stringify({ query: `{ hello } #${'x'.repeat(300)}` }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Request body exceeds 200 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });

  it('answers 400 for invalid JSON', async () => {
    const response = await post('{"query":');
    expect(response.status).toBe(400);
  });

  it('answers 404 for unknown paths and 503 when not ready', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not ready', reason: 'database down' });
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });

  it('names the port when it is already taken', async () => {
    const port = (httpServer.address() as AddressInfo).port;
    const other = createHttpServer({}, () => undefined);
    await expect(listen(other, port)).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
  });
});
