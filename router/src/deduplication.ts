import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getOperationAST, parse, type OperationTypeNode } from 'graphql';

/** Headers that carry who is asking: requests differing in any of them never share an execution. */
const IDENTITY_HEADERS = ['authorization', 'x-api-key'] as const;
const MAX_REMEMBERED_DOCUMENTS = 1_000;

/**
 * The key under which identical in-flight queries share one execution: the identity headers plus
 * the whole GraphQL request. Only queries sent as JSON POST bodies qualify; mutations and
 * subscriptions always run on their own. A document's operation type is parsed once and remembered.
 */
export function queryDeduplicationKey(): (req: IncomingMessage, body: unknown) => string | null {
  const operationTypes = new Map<string, OperationTypeNode | null>();
  const operationType = (query: string, operationName: string | undefined) => {
    const documentKey = `${operationName ?? ''}\n${query}`;
    let type = operationTypes.get(documentKey);
    if (type === undefined) {
      try {
        type = getOperationAST(parse(query), operationName)?.operation ?? null;
      } catch {
        type = null; // a parse error is reported by the normal path
      }
      if (operationTypes.size >= MAX_REMEMBERED_DOCUMENTS) operationTypes.clear();
      operationTypes.set(documentKey, type);
    }
    return type;
  };

  return (req, body) => {
    if (req.method !== 'POST' || typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    const { query, operationName, variables, extensions } = body as Record<string, unknown>;
    if (typeof query !== 'string') return null;
    if (operationType(query, typeof operationName === 'string' ? operationName : undefined) !== 'query') return null;
    const identity = IDENTITY_HEADERS.map((name) => req.headers[name] ?? '');
    return createHash('sha256')
      .update(JSON.stringify([identity, query, operationName ?? null, variables ?? null, extensions ?? null]))
      .digest('base64');
  };
}
