import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServer, HTTPGraphQLResponse } from '@apollo/server';
import {
  DomainError,
  headerMapOf,
  outcomeOf,
  requestIdOf,
  sendJson,
  shareInFlight,
  writeGraphQLResponse,
  type DeliveredEvent,
  type Logger,
  type RouteHandler,
  withLogFields,
} from '@minishop/runtime';
import { GraphQLError, print, type DocumentNode, type GraphQLFormattedError, type OperationTypeNode } from 'graphql';
import { authorizeOperation, grantsFor } from './authorization';
import { credentialsOf, type ClientAddress, type Credentials } from './authentication';
import type { Caller } from './caller';
import type { DocumentCache } from './documents';
import { sha256Hex, type PersistedOperations } from './persisted';
import { authorizationDenials, observeOperation, rateLimitRejections } from './metrics';
import { policyInputFor, type PolicyDecisionPoint, type PolicyDecisions } from './policy';
import { LimitError, type OperationLimits, type RateLimiter } from './protection';
import { readGraphQLRequest, RequestError, sendRequestError, type GraphQLOperationRequest } from './request';

/** What Apollo Server and the gateway see of a request that passed the pipeline. */
export interface RouterContext {
  logger: Logger;
  /** `Bearer <identity token>`: the router's signed statement of who is calling, sent to subgraphs. */
  authorization: string;
  /** Fields removed by authorization, reported beside the operation's own errors. */
  authorizationErrors: readonly GraphQLFormattedError[];
  /** The event a subscription is being resolved for: handed to the subgraph owning the field. */
  subscriptionEvent?: DeliveredEvent;
  /** Set when the response is sent: `success` or the first error's code (for the metrics). */
  outcome?: string;
  /** Sent to the subgraphs as `x-request-id`, so their log lines carry it too. */
  requestId?: string;
}

/** What it takes to decide whether and how an operation may run (HTTP and WebSocket alike). */
export interface PreparerOptions {
  /** Refuse the whole operation when any field is unauthorized, instead of removing the fields. */
  rejectUnauthorized: boolean;
  /** Introspection (what the explorer needs) for first-party callers; partners never. */
  introspection: boolean;
  persisted: PersistedOperations;
  policies: PolicyDecisionPoint;
  limits: (caller: Caller) => OperationLimits;
  /** The document cache of the schema being served (null until the supergraph is loaded). */
  documents: () => DocumentCache | null;
}

/** What every way into the router (HTTP, WebSocket) uses: who calls, how much, and whether the operation may run. */
export interface EntryOptions {
  logger: Logger;
  authenticate: (credentials: Credentials) => Promise<Caller>;
  /** Who anonymous callers are (rate limits key on it): the peer, or the client behind a trusted proxy. */
  clientAddress: ClientAddress;
  signIdentity: (caller: Caller) => Promise<string>;
  rateLimiter: RateLimiter;
  prepare: ReturnType<typeof createOperationPreparer>;
}

export interface PipelineOptions extends EntryOptions {
  server: ApolloServer<RouterContext>;
  maxBodyBytes: number;
  /** Identical in-flight queries of one identity share one execution. */
  deduplicateQueries: boolean;
}

/** An operation that may run: its (possibly filtered) text, the fields removed and its type. */
export interface PreparedOperation {
  query: string;
  /** Fields removed by authorization, reported beside the operation's own errors. */
  errors: readonly GraphQLFormattedError[];
  /** The parsed (filtered) document, for the subscription path. */
  document: DocumentNode;
  type: OperationTypeNode;
  /** The operation's own name (also when the request named none). */
  name: string | null;
}

/** The outcome of preparing an operation: it may run, it failed validation, or authorization refused it. */
export type Preparation =
  | ({ kind: 'ready' } & PreparedOperation)
  | { kind: 'invalid'; query: string; errors: readonly GraphQLError[]; name: string | null }
  | { kind: 'refused'; status: number; errors: readonly GraphQLFormattedError[]; name: string | null };

/** A token-limit, syntax or limit error from parsing and analysis, as a 400 refusal with its code. */
function refusal(error: GraphQLError): RequestError {
  const code = error instanceof LimitError ? error.code : String(error.extensions['code'] ?? 'GRAPHQL_PARSE_FAILED');
  return new RequestError(400, code, error.message);
}

const UNAUTHORIZED_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403 };
const DENIAL_REASONS: Record<string, string> = { UNAUTHENTICATED: '@authenticated', FORBIDDEN: '@requiresScopes' };

/** Counts an operation's denials: by each policy that said no, else by what the errors say was missing. */
function countDenials(errors: readonly GraphQLFormattedError[], decisions: PolicyDecisions): void {
  const policies = Object.keys(decisions).filter((policy) => decisions[policy] !== true);
  const reasons =
    policies.length > 0
      ? policies
      : [...new Set(errors.map((error) => DENIAL_REASONS[String(error.extensions?.code)]))];
  for (const reason of reasons) if (reason) authorizationDenials.inc({ reason });
}

/** Adds authorization errors to the single result Apollo Server is about to send, and notes its outcome. */
export const routerResultPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }: { contextValue: RouterContext; response: { body: unknown } }) {
        const body = response.body as { kind: string; singleResult?: { errors?: readonly GraphQLFormattedError[] } };
        if (body.kind !== 'single' || !body.singleResult) return;
        if (contextValue.authorizationErrors.length > 0) {
          body.singleResult.errors = [...contextValue.authorizationErrors, ...(body.singleResult.errors ?? [])];
        }
        contextValue.outcome = outcomeOf(body.singleResult.errors);
      },
    };
  },
};

/**
 * Decides whether and how an operation may run, for a caller already authenticated (and
 * rate-limited): persisted operations, parse with limits, cached analysis, cost, then
 * authorization (removing unauthorized fields). Refusals before authorization throw RequestError.
 */
export function createOperationPreparer(options: PreparerOptions) {
  const printedDocuments = new WeakMap<DocumentNode, string>();
  function printed(document: DocumentNode): string {
    let text = printedDocuments.get(document);
    if (text === undefined) {
      text = print(document);
      printedDocuments.set(document, text);
    }
    return text;
  }

  return async function prepare(request: GraphQLOperationRequest, caller: Caller): Promise<Preparation> {
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
    if (analysis.validationErrors.length > 0) {
      return { kind: 'invalid', query, errors: analysis.validationErrors, name: analysis.name };
    }
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
    const name = analysis.name;
    if (!analysis.access.hasRequirements) return { kind: 'ready', query, document: parsed, errors: [], type, name };
    const decisions =
      analysis.access.policies.length > 0
        ? await options.policies.decide(policyInputFor(caller, { name: analysis.name, type }, analysis.access.policies))
        : {};
    const authorized = authorizeOperation(analysis.access, grantsFor(caller, decisions));
    if (authorized.errors.length > 0) countDenials(authorized.errors, decisions);
    if (authorized.errors.length > 0 && (options.rejectUnauthorized || authorized.nothingLeft)) {
      const status = options.rejectUnauthorized
        ? Math.max(...authorized.errors.map((error) => UNAUTHORIZED_STATUS[String(error.extensions?.code)] ?? 403))
        : 200;
      return { kind: 'refused', status, errors: authorized.errors, name };
    }
    if (!authorized.document) return { kind: 'ready', query, document: parsed, errors: authorized.errors, type, name };
    return {
      kind: 'ready',
      query: printed(authorized.document),
      document: authorized.document,
      errors: authorized.errors,
      type,
      name,
    };
  };
}

/**
 * The router's `/graphql` over HTTP: read the request, authenticate, rate-limit, prepare (see
 * createOperationPreparer), then execute through Apollo Server and the gateway. Every refusal
 * before execution is a GraphQL error with a stable code and the right HTTP status; nothing the
 * client sends can crash the process. Subscriptions are served over WebSocket (subscriptions/).
 */
export function createGraphQLPipeline(options: PipelineOptions): RouteHandler {
  const inFlight = new Map<string, Promise<Executed>>();
  const { prepare } = options;

  return async (req, res) => {
    const start = process.hrtime.bigint();
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    // On every log line of the request and, with its type and outcome, on its metrics.
    const fields: { request_id: string; client: string; operation?: string } = {
      request_id: requestId,
      client: clientNameOf(req),
    };
    let type: string | undefined;
    let outcome = 'INTERNAL_SERVER_ERROR';
    try {
      await withLogFields(fields, async () => {
        const request = await readGraphQLRequest(req, options.maxBodyBytes);
        fields.operation = logged(request.operationName);
        const caller = await options.authenticate(credentialsOf(req, options.clientAddress));
        // A partner is named by its key, not by what it says it is.
        if (caller.kind === 'partner') fields.client = `partner:${caller.name}`;
        const allowance = await options.rateLimiter.take(caller);
        if (!allowance.allowed) {
          rateLimitRejections.inc({ caller: caller.kind, transport: 'http' });
          throw new RequestError(429, 'RATE_LIMITED', 'Too many requests; retry later', {
            'retry-after': String(allowance.retryAfterSeconds),
          });
        }
        const prepared = await prepare(request, caller);
        fields.operation = logged(prepared.name) ?? fields.operation;
        if (prepared.kind === 'refused') {
          outcome = outcomeOf(prepared.errors);
          sendJson(res, prepared.status, { data: null, errors: prepared.errors });
          return;
        }
        if (prepared.kind === 'ready') type = prepared.type;
        if (prepared.kind === 'ready' && prepared.type === 'subscription') {
          throw new RequestError(400, 'BAD_REQUEST', 'Subscriptions are served over WebSocket (graphql-transport-ws)');
        }
        if (prepared.kind === 'ready' && prepared.type === 'mutation' && request.method === 'GET') {
          throw new RequestError(405, 'BAD_REQUEST', 'Can only perform a mutation operation from a POST request', {
            allow: 'POST',
          });
        }
        const identityToken = `Bearer ${await options.signIdentity(caller)}`;
        const { persistedQuery: _apq, ...extensions } = request.extensions ?? {};
        const graphQLRequest = {
          query: prepared.query,
          ...(request.operationName === undefined ? {} : { operationName: request.operationName }),
          ...(request.variables === undefined ? {} : { variables: request.variables }),
          ...(Object.keys(extensions).length === 0 ? {} : { extensions }),
        };
        // An invalid document runs into Apollo Server, which reports its validation errors.
        const context: RouterContext = {
          logger: options.logger,
          authorization: identityToken,
          authorizationErrors: prepared.kind === 'ready' ? prepared.errors : [],
          requestId,
          // Apollo Server answers invalid documents without the plugins' willSendResponse.
          outcome: prepared.kind === 'invalid' ? 'GRAPHQL_VALIDATION_FAILED' : undefined,
        };
        const execute = async (): Promise<Executed> => {
          const response = await options.server.executeHTTPGraphQLRequest({
            httpGraphQLRequest:
              request.method === 'GET'
                ? { method: 'GET', headers: headerMapOf(req), search: searchOf(graphQLRequest), body: undefined }
                : { method: 'POST', headers: headerMapOf(req), search: '', body: graphQLRequest },
            context: async () => context,
          });
          // Apollo Server answers some malformed requests without running the plugins.
          return {
            response,
            outcome: context.outcome ?? ((response.status ?? 200) >= 400 ? 'BAD_REQUEST' : 'success'),
          };
        };
        // Only queries share: never a mutation, and never across identities (the token is in the key).
        const key =
          options.deduplicateQueries && prepared.kind === 'ready' && prepared.type === 'query'
            ? createHash('sha256')
                .update(JSON.stringify([identityToken, graphQLRequest]))
                .digest('base64')
            : null;
        const executed = key === null ? await execute() : await shareInFlight(inFlight, key, execute);
        outcome = executed.outcome;
        await writeGraphQLResponse(res, executed.response);
      });
    } catch (error) {
      if (error instanceof RequestError) {
        outcome = error.code;
        return sendRequestError(res, error);
      }
      if (error instanceof DomainError) {
        const code = String(error.extensions['code']);
        outcome = code;
        const status = code === 'UNAUTHENTICATED' ? 401 : code === 'SERVICE_UNAVAILABLE' ? 503 : 400;
        return sendRequestError(res, new RequestError(status, code, error.message));
      }
      throw error;
    } finally {
      observeOperation({ name: fields.operation, client: fields.client, type, outcome }, start);
    }
  };
}

/** What an execution answered, shared by the requests that shared it. */
interface Executed {
  response: HTTPGraphQLResponse;
  outcome: string;
}

const CLIENT_NAME = /^[\w .:/@-]{1,64}$/;

/** An operation name as it goes on log lines and metrics: names can be as long as a request body. */
function logged(name: string | null | undefined): string | undefined {
  return name?.slice(0, 100);
}

/** The app calling (Apollo's `apollographql-client-name` header), for metrics and logs. */
function clientNameOf(req: IncomingMessage): string {
  const given = req.headers['apollographql-client-name'];
  return typeof given === 'string' && CLIENT_NAME.test(given) ? given : 'unknown';
}

function searchOf(request: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request)) {
    if (value === undefined) continue;
    params.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `?${params.toString()}`;
}
