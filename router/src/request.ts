import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody, sendJson } from '@minishop/runtime';

/** A request refused before execution: its HTTP status, a stable `extensions.code` and a message. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendRequestError(res: ServerResponse, error: RequestError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
}

/** The fields of a GraphQL-over-HTTP request, checked for type but not yet resolved or parsed. */
export interface GraphQLRequest {
  method: 'GET' | 'POST';
  query?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
  documentId?: string;
}

/** The operation fields of a request, however it arrived (HTTP or a WebSocket subscribe message). */
export type GraphQLOperationRequest = Omit<GraphQLRequest, 'method'>;

const badRequest = (message: string) => new RequestError(400, 'BAD_REQUEST', message);

// Apollo Server's CSRF rule: a request a browser could send cross-site without a preflight (GET, or
// a POST with a "simple" content type) must carry a header such a form cannot set.
const SIMPLE_CONTENT_TYPES = new Set(['', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'];

function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`"${name}" must be a string`);
  return value;
}

function optionalObject(value: unknown, name: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`"${name}" must be an object`);
  return value as Record<string, unknown>;
}

function jsonParam(value: string | null, name: string): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`"${name}" is not valid JSON`);
  }
}

/** Deeper JSON than any real variables need: recursive code downstream (hashing, coercion) must not overflow. */
const MAX_JSON_DEPTH = 64;

/** The nesting depth of a parsed JSON value, iteratively (the value may be nested 100k deep). */
function jsonDepth(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [value, depth] = entry;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) return depth;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Refuses a request (HTTP body or WebSocket subscribe payload) nested deeper than MAX_JSON_DEPTH. */
export function checkJsonDepth(request: unknown): void {
  if (jsonDepth(request) > MAX_JSON_DEPTH)
    throw badRequest(`Request JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
}

function fieldsOf(method: 'GET' | 'POST', body: Record<string, unknown>): GraphQLRequest {
  checkJsonDepth(body);
  return {
    method,
    query: optionalString(body['query'], 'query'),
    // An empty name selects nothing; clients mean "the only operation" (and caches key on it).
    operationName: optionalString(body['operationName'], 'operationName') || undefined,
    variables: optionalObject(body['variables'], 'variables'),
    extensions: optionalObject(body['extensions'], 'extensions'),
    documentId: optionalString(body['documentId'], 'documentId'),
  };
}

/**
 * Reads a GraphQL request from GET query parameters or a JSON POST body, refusing with the right
 * status: 405 other methods, 415 non-JSON POST bodies, 400 CSRF-prone requests, bad JSON and
 * wrongly typed fields (batches included), 413 bodies over `maxBodyBytes`.
 */
export async function readGraphQLRequest(req: IncomingMessage, maxBodyBytes: number): Promise<GraphQLRequest> {
  const method = req.method;
  if (method !== 'GET' && method !== 'POST') {
    throw new RequestError(405, 'METHOD_NOT_ALLOWED', 'Use GET or POST', { allow: 'GET, POST' });
  }
  const contentType = contentTypeOf(req);
  if (SIMPLE_CONTENT_TYPES.has(contentType) && !PREFLIGHT_HEADERS.some((name) => req.headers[name] !== undefined)) {
    throw badRequest(
      'This operation has been blocked as a potential Cross-Site Request Forgery (CSRF): send "content-type: application/json" or an "apollo-require-preflight" header',
    );
  }
  if (method === 'GET') {
    const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
    return fieldsOf('GET', {
      query: params.get('query'),
      operationName: params.get('operationName'),
      variables: jsonParam(params.get('variables'), 'variables'),
      extensions: jsonParam(params.get('extensions'), 'extensions'),
      documentId: params.get('documentId'),
    });
  }
  if (contentType !== 'application/json' && contentType !== 'application/graphql-response+json') {
    throw new RequestError(415, 'UNSUPPORTED_MEDIA_TYPE', 'POST bodies must be application/json');
  }
  let text: string;
  try {
    text = await readBody(req, maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new RequestError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${maxBodyBytes} bytes`, {
        connection: 'close',
      });
    }
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('Request body is not valid JSON');
  }
  if (Array.isArray(body)) throw badRequest('Batched requests are not supported: send one operation per request');
  if (typeof body !== 'object' || body === null) throw badRequest('Request body must be a JSON object');
  return fieldsOf('POST', body as Record<string, unknown>);
}
