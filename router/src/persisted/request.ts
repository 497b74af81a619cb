import { badRequest, type PersistedFailure } from './resolution';

/** The body fields of a GraphQL request that select the operation, as received (unvalidated). */
export interface GraphQLRequestFields {
  query?: unknown;
  operationName?: unknown;
  extensions?: unknown;
  /** GraphQL-over-HTTP persisted documents: an operation id, here a sha256 hex, optionally `sha256:`-prefixed. */
  documentId?: unknown;
}

/** What a request asks for: a query text, an operation id, or both (APQ registration). */
export type OperationRequest = (
  { query: string; id?: undefined } | { query?: undefined; id: string } | { query: string; id: string }
) & { operationName?: string };

const SHA256_PREFIX = 'sha256:';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates the shape of the operation-selecting fields; anything malformed is a BAD_REQUEST. */
export function readOperationRequest(request: GraphQLRequestFields): OperationRequest | PersistedFailure {
  const { query, operationName, extensions, documentId } = request;
  if (query != null && typeof query !== 'string') return badRequest('query must be a string');
  if (extensions != null && !isRecord(extensions)) return badRequest('extensions must be an object');
  const persistedQuery = extensions?.persistedQuery;
  let hash: string | undefined;
  if (persistedQuery != null) {
    if (!isRecord(persistedQuery)) return badRequest('extensions.persistedQuery must be an object');
    if (persistedQuery.version !== 1) return badRequest('Unsupported persisted query version');
    if (typeof persistedQuery.sha256Hash !== 'string') {
      return badRequest('extensions.persistedQuery.sha256Hash must be a string');
    }
    hash = persistedQuery.sha256Hash;
  }
  let docId: string | undefined;
  if (documentId != null) {
    if (typeof documentId !== 'string') return badRequest('documentId must be a string');
    docId = documentId.startsWith(SHA256_PREFIX) ? documentId.slice(SHA256_PREFIX.length) : documentId;
  }
  if (hash !== undefined && docId !== undefined && hash !== docId) {
    return badRequest('documentId and extensions.persistedQuery.sha256Hash name different operations');
  }
  const id = hash ?? docId;
  const name = typeof operationName === 'string' ? { operationName } : {};
  if (query != null) return id === undefined ? { query, ...name } : { query, id, ...name };
  if (id !== undefined) return { id, ...name };
  return badRequest('GraphQL operations must contain a `query`, a `documentId` or a `persistedQuery` extension');
}
