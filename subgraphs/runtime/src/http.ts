import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { withLogFields } from './logger';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's `x-request-id` when it is a plain token, else a new one (for log lines and responses). */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Thrown by readBody when a request body exceeds the configured limit. */
export class BodyTooLargeError extends Error {}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** The whole request body as UTF-8, refusing (BodyTooLargeError) beyond `limitBytes` without buffering the rest. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs `execute` once for all callers asking for `key` while it is in flight. */
export function shareInFlight<T>(
  inFlight: Map<string, Promise<T>>,
  key: string,
  execute: () => Promise<T>,
): Promise<T> {
  const running = inFlight.get(key);
  if (running) return running;
  const started = execute().finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}

export interface GraphQLHandlerOptions<Context extends BaseContext> {
  server: ApolloServer<Context>;
  /** Builds the per-request context; a throw becomes the request's error response. */
  context: (req: IncomingMessage) => Promise<Context>;
  maxBodyBytes: number;
}

/** Serves an Apollo Server on a plain Node request: JSON bodies, a body size limit, streamed responses. */
export function graphqlHandler<Context extends BaseContext>(options: GraphQLHandlerOptions<Context>): RouteHandler {
  const { server, context, maxBodyBytes } = options;
  return async (req, res) => {
    let body: unknown;
    try {
      const text = req.method === 'POST' ? await readBody(req, maxBodyBytes) : '';
      const isJson = (req.headers['content-type'] ?? '').includes('application/json');
      body = isJson && text ? JSON.parse(text) : text;
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close');
        return sendGraphQLError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${maxBodyBytes} bytes`);
      }
      return sendGraphQLError(res, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    // The router's request id: the subgraph's log lines for this request carry it too.
    const response = await withLogFields({ request_id: requestIdOf(req) }, () =>
      server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers: headerMapOf(req), search: url.search, body },
        context: () => context(req),
      }),
    );
    await writeGraphQLResponse(res, response);
  };
}

/** A Node request's headers as Apollo Server's HeaderMap. */
export function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Writes Apollo Server's response (complete or streamed) to a Node response. */
export async function writeGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

export interface HealthChecks {
  /** Resolves when the process can serve traffic (dependencies reachable); a throw means not ready. */
  ready: () => Promise<void>;
}

/** `/health/live` answers while the process runs; `/health/ready` runs the readiness check. */
export function healthRoutes(checks: HealthChecks): Record<string, RouteHandler> {
  return {
    '/health/live': (_req, res) => sendJson(res, 200, { status: 'live' }),
    '/health/ready': async (_req, res) => {
      try {
        await checks.ready();
        sendJson(res, 200, { status: 'ready' });
      } catch (error) {
        sendJson(res, 503, { status: 'not ready', reason: error instanceof Error ? error.message : String(error) });
      }
    },
  };
}

/**
 * A Node HTTP server dispatching on exact paths, then to `fallback` (404 without one); unexpected
 * handler errors become a bare 500.
 */
export function createHttpServer(
  routes: Record<string, RouteHandler>,
  onError: (error: unknown) => void,
  fallback?: RouteHandler,
): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = routes[path] ?? fallback;
    if (!handler) return sendJson(res, 404, { error: 'not found' });
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' });
      else res.destroy();
    });
  });
}

/**
 * Stops a server of short requests (health, metrics, static files): stops listening and drops its
 * connections, rather than waiting for idle keep-alive sockets to time out.
 */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Listens on 127.0.0.1-or-host:port; a taken port fails with a message naming it. Returns the bound port. */
export function listen(server: http.Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use`) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
