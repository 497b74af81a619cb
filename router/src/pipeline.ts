import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServer, HTTPGraphQLResponse } from '@apollo/server';
import {
  DomainError,
  headerMapOf,
  sendJson,
  shareInFlight,
  writeGraphQLResponse,
  type Logger,
  type RouteHandler,
} from '@minishop/runtime';
import { GraphQLError, print, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { authorizeOperation, grantsFor } from './authorization';
import type { Caller } from './caller';
import type { DocumentCache } from './documents';
import { sha256Hex, type PersistedOperations } from './persisted';
import { policyInputFor, type PolicyDecisionPoint } from './policy';
import { LimitError, type OperationLimits, type RateLimiter } from './protection';
import { readGraphQLRequest, RequestError, sendRequestError, type GraphQLRequest } from './request';

/** What Apollo Server and the gateway see of a request that passed the pipeline. */
export interface RouterContext {
  logger: Logger;
  /** `Bearer <identity token>`: the router's signed statement of who is calling, sent to subgraphs. */
  authorization: string;
  /** Fields removed by authorization, reported beside the operation's own errors. */
  authorizationErrors: readonly GraphQLFormattedError[];
}

export interface PipelineOptions {
  server: ApolloServer<RouterContext>;
  logger: Logger;
  maxBodyBytes: number;
  /** Identical in-flight queries of one identity share one execution. */
  deduplicateQueries: boolean;
  /** Refuse the whole operation when any field is unauthorized, instead of removing the fields. */
  rejectUnauthorized: boolean;
  /** Introspection (what the explorer needs) for first-party callers; partners never. */
  introspection: boolean;
  authenticate: (req: IncomingMessage) => Promise<Caller>;
  signIdentity: (caller: Caller) => Promise<string>;
  rateLimiter: RateLimiter;
  persisted: PersistedOperations;
  policies: PolicyDecisionPoint;
  limits: (caller: Caller) => OperationLimits;
  /** The document cache of the schema being served (null until the supergraph is loaded). */
  documents: () => DocumentCache | null;
}

/** A token-limit, syntax or limit error from parsing and analysis, as a 400 refusal with its code. */
function refusal(error: GraphQLError): RequestError {
  const code = error instanceof LimitError ? error.code : String(error.extensions['code'] ?? 'GRAPHQL_PARSE_FAILED');
  return new RequestError(400, code, error.message);
}

const UNAUTHORIZED_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403 };

/** Adds authorization errors to the single result Apollo Server is about to send. */
export const authorizationErrorsPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }: { contextValue: RouterContext; response: { body: unknown } }) {
        const body = response.body as { kind: string; singleResult?: { errors?: readonly GraphQLFormattedError[] } };
        if (contextValue.authorizationErrors.length === 0 || body.kind !== 'single' || !body.singleResult) return;
        body.singleResult.errors = [...contextValue.authorizationErrors, ...(body.singleResult.errors ?? [])];
      },
    };
  },
};

/**
 * The router's `/graphql`: read the request, authenticate, rate-limit, resolve persisted
 * operations, parse and check limits, authorize (removing unauthorized fields), then execute
 * through Apollo Server and the gateway. Every refusal before execution is a GraphQL error with a
 * stable code and the right HTTP status; nothing the client sends can crash the process.
 */
export function createGraphQLPipeline(options: PipelineOptions): RouteHandler {
  const inFlight = new Map<string, Promise<HTTPGraphQLResponse>>();

  async function prepare(request: GraphQLRequest, caller: Caller) {
    const resolved = await options.persisted.resolve(request, caller);
    if (!resolved.ok) throw new RequestError(resolved.status, resolved.code, resolved.message);
    const query = resolved.query;
    const documents = options.documents();
    if (!documents) throw new RequestError(503, 'SERVICE_UNAVAILABLE', 'The router is starting; try again shortly');
    const limits = options.limits(caller);
    // A persisted id is already the sha256 of the text (manifests are checked on load, APQ on store).
    const hash = resolved.persistedId ?? sha256Hex(query);
    const parsed = documents.parse(hash, query, limits);
    if (parsed instanceof GraphQLError) throw refusal(parsed);
    const analysis = documents.analyze(hash, parsed, request.operationName);
    // An invalid document never executes: Apollo Server reports its validation errors.
    if (!analysis.valid) return { query, errors: [] as GraphQLFormattedError[], type: null };
    const { type } = analysis;
    if (type === null) {
      throw new RequestError(
        400,
        'OPERATION_RESOLUTION_FAILURE',
        request.operationName === undefined
          ? 'Must provide operation name if query contains multiple operations'
          : 'Unknown operation named in operationName',
      );
    }
    if (type === 'subscription') {
      throw new RequestError(400, 'BAD_REQUEST', 'Subscriptions are not served over HTTP POST or GET');
    }
    if (type === 'mutation' && request.method === 'GET') {
      throw new RequestError(405, 'BAD_REQUEST', 'Can only perform a mutation operation from a POST request', {
        allow: 'POST',
      });
    }
    if (analysis.introspection && (!options.introspection || caller.kind === 'partner')) {
      throw new RequestError(400, 'INTROSPECTION_DISABLED', 'Introspection is not allowed for this client');
    }
    const [shapeError] = documents.shapeErrors(analysis, caller.kind, limits);
    if (shapeError) throw refusal(shapeError);
    const costError = documents.costError(
      analysis,
      caller.kind,
      limits,
      request.operationName,
      request.variables ?? {},
    );
    if (costError) throw refusal(costError);
    if (!analysis.access.hasRequirements) return { query, errors: [], type };
    const decisions =
      analysis.access.policies.length > 0
        ? await options.policies.decide(policyInputFor(caller, { name: analysis.name, type }, analysis.access.policies))
        : {};
    const authorized = authorizeOperation(analysis.access, grantsFor(caller, decisions));
    if (authorized.errors.length > 0 && (options.rejectUnauthorized || authorized.nothingLeft)) {
      const status = options.rejectUnauthorized
        ? Math.max(...authorized.errors.map((error) => UNAUTHORIZED_STATUS[String(error.extensions?.code)] ?? 403))
        : 200;
      return { refused: { status, errors: authorized.errors } };
    }
    return { query: authorized.document ? printed(authorized.document) : query, errors: authorized.errors, type };
  }

  const printedDocuments = new WeakMap<DocumentNode, string>();
  function printed(document: DocumentNode): string {
    let text = printedDocuments.get(document);
    if (text === undefined) {
      text = print(document);
      printedDocuments.set(document, text);
    }
    return text;
  }

  return async (req, res) => {
    try {
      const request = await readGraphQLRequest(req, options.maxBodyBytes);
      const caller = await options.authenticate(req);
      const allowance = await options.rateLimiter.take(caller);
      if (!allowance.allowed) {
        throw new RequestError(429, 'RATE_LIMITED', 'Too many requests; retry later', {
          'retry-after': String(allowance.retryAfterSeconds),
        });
      }
      const prepared = await prepare(request, caller);
      if ('refused' in prepared && prepared.refused) {
        sendJson(res, prepared.refused.status, { data: null, errors: prepared.refused.errors });
        return;
      }
      const identityToken = `Bearer ${await options.signIdentity(caller)}`;
      const { persistedQuery: _apq, ...extensions } = request.extensions ?? {};
      const graphQLRequest = {
        query: prepared.query,
        ...(request.operationName === undefined ? {} : { operationName: request.operationName }),
        ...(request.variables === undefined ? {} : { variables: request.variables }),
        ...(Object.keys(extensions).length === 0 ? {} : { extensions }),
      };
      const context: RouterContext = {
        logger: options.logger,
        authorization: identityToken,
        authorizationErrors: prepared.errors,
      };
      const execute = () =>
        options.server.executeHTTPGraphQLRequest({
          httpGraphQLRequest:
            request.method === 'GET'
              ? { method: 'GET', headers: headerMapOf(req), search: searchOf(graphQLRequest), body: undefined }
              : { method: 'POST', headers: headerMapOf(req), search: '', body: graphQLRequest },
          context: async () => context,
        });
      // Only queries share: never a mutation, and never across identities (the token is in the key).
      const key =
        options.deduplicateQueries && prepared.type === 'query'
          ? createHash('sha256')
              .update(JSON.stringify([identityToken, graphQLRequest]))
              .digest('base64')
          : null;
      await writeGraphQLResponse(res, key === null ? await execute() : await shareInFlight(inFlight, key, execute));
    } catch (error) {
      if (error instanceof RequestError) return sendRequestError(res, error);
      if (error instanceof DomainError) {
        const code = String(error.extensions['code']);
        const status = code === 'UNAUTHENTICATED' ? 401 : code === 'SERVICE_UNAVAILABLE' ? 503 : 400;
        return sendRequestError(res, new RequestError(status, code, error.message));
      }
      throw error;
    }
  };
}

function searchOf(request: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request)) {
    if (value === undefined) continue;
    params.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `?${params.toString()}`;
}
