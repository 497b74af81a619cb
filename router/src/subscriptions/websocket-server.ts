import type { IncomingMessage, Server } from 'node:http';
import { contextOfTraceparent, DomainError, inSpan, outcomeOf, SpanKind } from '@minishop/runtime';
import { rateLimitRejections, subscriptionDeliveries } from '../metrics';
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  type ExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import { CloseCode, type Context, type SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import { LRUCache } from 'lru-cache';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_KEY_HEADER } from '../authentication';
import type { Caller } from '../caller';
import type { SubscriptionSettings } from '../config';
import type { EntryOptions, RouterContext } from '../pipeline';
import { sha256Hex } from '../persisted';
import { checkJsonDepth, RequestError } from '../request';
import { STATUS_CHANGED, type StatusChangeEvent } from './order-event-feed';
import { LiveSubscription, topicOf, type SubscriptionHub } from './live-subscription';
import type { PlannedSubscription, SubscriptionExecutor } from './subscription-executor';

/**
 * Close codes the router chooses, beside graphql-ws's own (4400 bad request, 4406 subprotocol, 4408
 * init timeout, 4409 duplicate id, 1001 going away on shutdown).
 */
export const CLOSE_CODES = {
  /** Credentials in `connection_init` were refused, or expired during the connection: reconnect with fresh ones. */
  forbidden: CloseCode.Forbidden,
  /** The client reads too slowly (queue or socket buffer over its bound): reconnect and re-read. */
  tooSlow: 1013,
} as const;

// setTimeout fires at once beyond this delay (a 32-bit signed int of milliseconds).
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SubscriptionServerOptions extends EntryOptions {
  httpServer: Server;
  path: string;
  settings: SubscriptionSettings;
  maxMessageBytes: number;
  /** The executor of the schema being served (null until the supergraph is loaded). */
  executor: () => SubscriptionExecutor | null;
  hub: SubscriptionHub;
  /** Without the explorer there is no introspection: validation errors must not suggest field names either. */
  hideSchemaDetails: boolean;
  /** The router's error masking (as for HTTP): known codes pass, the rest becomes INTERNAL_SERVER_ERROR. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** What onSubscribe decided, handed to `subscribe` through the execution args' context value. */
interface AcceptedSubscription {
  caller: Caller;
  planned: PlannedSubscription;
  executor: SubscriptionExecutor;
  variables: Record<string, unknown>;
  /** The operation and its variables: subscriptions of one identity with the same key get the same results. */
  operationKey: string;
  topic: string;
  /** Fields removed by authorization, reported with every event. */
  authorizationErrors: readonly GraphQLError[];
  socket: WebSocket;
}

interface Connection {
  caller: Caller;
  expiry: NodeJS.Timeout | null;
}

type Extra = { socket: WebSocket; request: IncomingMessage };
type WsContext = Context<Record<string, unknown> | undefined, Extra>;

// What Apollo Server's hideSchemaDetailsFromClientErrors removes from validation messages.
const SUGGESTION = / ?Did you mean(.+?)\?$/;

const refusalError = (code: string, message: string) => new GraphQLError(message, { extensions: { code } });
const refusal = (code: string, message: string) => [refusalError(code, message)];

/** A WebSocket close reason is at most 123 bytes. */
const closeReason = (code: string, message: string) => `${code}: ${message}`.slice(0, 123);

/**
 * Subscriptions on the router's `/graphql` over WebSocket (graphql-transport-ws, by graphql-ws):
 * the caller authenticates in `connection_init` (`authorization: "Bearer <JWT>"` or `x-api-key`,
 * the same rules as HTTP); each subscribe message goes through the same preparation as an HTTP
 * request (rate limit, persisted operations, limits, authorization), then the owning subgraph's
 * subscribe-time check; each event is resolved through the query plan. Queries and mutations stay
 * on HTTP.
 */
export function serveSubscriptions(options: SubscriptionServerOptions) {
  const { settings, logger } = options;
  const connections = new WeakMap<WsContext, Connection>();
  // Results by identity, operation and event, kept briefly: subscribers that get an event at the
  // same time (or nearly) reuse its resolution instead of running the query plan again.
  const recentResults = new LRUCache<string, Promise<ExecutionResult>>({ max: 5_000, ttl: 5_000 });
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.maxMessageBytes,
  });

  const format = (errors: readonly (GraphQLError | GraphQLFormattedError)[]) =>
    errors.map((error) =>
      error instanceof GraphQLError ? options.formatError(error.toJSON(), error) : options.formatError(error, error),
    );
  const asErrors = (formatted: readonly GraphQLFormattedError[]) =>
    formatted.map((error) => new GraphQLError(error.message, { path: error.path, extensions: error.extensions }));

  async function authenticateConnection(ctx: WsContext): Promise<boolean> {
    const params = ctx.connectionParams ?? {};
    const authorization = params['authorization'] ?? params['Authorization'];
    const { socket } = ctx.extra;
    try {
      const caller = await options.authenticate({
        authorization,
        apiKey: params[API_KEY_HEADER],
        ip: options.clientAddress(ctx.extra.request),
      });
      const expiresAt = caller.kind === 'user' ? (decodeJwt(String(authorization).slice(7)).exp ?? 0) * 1000 : null;
      const expiry =
        expiresAt === null
          ? null
          : setTimeout(
              () => socket.close(CLOSE_CODES.forbidden, closeReason('UNAUTHENTICATED', 'Token has expired')),
              Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now())),
            ).unref();
      connections.set(ctx, { caller, expiry });
      return true;
    } catch (error) {
      if (!(error instanceof DomainError)) logger.error({ err: error }, 'WebSocket authentication failed unexpectedly');
      const code = error instanceof DomainError ? String(error.extensions['code']) : 'UNAUTHENTICATED';
      const message = error instanceof DomainError ? error.message : 'Authentication failed';
      socket.close(CLOSE_CODES.forbidden, closeReason(code, message));
      return false;
    }
  }

  async function accept(ctx: WsContext, payload: SubscribePayload) {
    const connection = connections.get(ctx);
    if (!connection) return refusal('UNAUTHENTICATED', 'Connection is not initialised');
    const { caller } = connection;
    if (Object.keys(ctx.subscriptions).length > settings.maxSubscriptionsPerConnection) {
      return refusal('BAD_REQUEST', `At most ${settings.maxSubscriptionsPerConnection} subscriptions per connection`);
    }
    const allowance = await options.rateLimiter.take(caller);
    if (!allowance.allowed) {
      rateLimitRejections.inc({ caller: caller.kind, transport: 'websocket' });
      return refusal('RATE_LIMITED', 'Too many requests; retry later');
    }
    const executor = options.executor();
    if (!executor) return refusal('SERVICE_UNAVAILABLE', 'The router is starting; try again shortly');

    checkJsonDepth(payload);
    const request = {
      query: payload.query,
      ...(payload.operationName ? { operationName: payload.operationName } : {}),
      ...(payload.variables ? { variables: payload.variables } : {}),
      ...(payload.extensions ? { extensions: payload.extensions } : {}),
    };
    const prepared = await options.prepare(request, caller);
    if (prepared.kind === 'invalid') {
      return prepared.errors.map(
        (error) =>
          new GraphQLError(options.hideSchemaDetails ? error.message.replace(SUGGESTION, '') : error.message, {
            nodes: error.nodes,
            extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
      );
    }
    if (prepared.kind === 'refused') return asErrors(prepared.errors);
    if (prepared.type !== 'subscription') {
      return refusal(
        'BAD_REQUEST',
        'Only subscriptions are served over WebSocket; send queries and mutations over HTTP',
      );
    }
    const operation = getOperationAST(prepared.document, request.operationName);
    const coerced = getVariableValues(
      executor.apiSchema,
      operation?.variableDefinitions ?? [],
      request.variables ?? {},
    );
    if (coerced.errors) return coerced.errors.map((error) => refusalError('BAD_USER_INPUT', error.message));

    const planKey = `${request.operationName ?? ''}\n${sha256Hex(prepared.query)}`;
    const planned = executor.plan(planKey, prepared.document, request.operationName);
    const field = executor.apiSchema.getSubscriptionType()?.getFields()[planned.rootField.name.value];
    const topic = field && topicOf(field.name, getArgumentValues(field, planned.rootField, coerced.coerced), caller);
    if (!topic) return refusal('BAD_REQUEST', `${planned.rootField.name.value} has no event source`);
    const variables = request.variables ?? {};
    const context: RouterContext = {
      logger,
      authorization: `Bearer ${await options.signIdentity(caller)}`,
      authorizationErrors: [],
    };
    const checkErrors = await executor.check(planned, variables, context);
    if (checkErrors.length > 0) return asErrors(format(checkErrors));
    const accepted: AcceptedSubscription = {
      caller,
      planned,
      executor,
      variables,
      operationKey: `${planKey}\n${JSON.stringify(variables)}`,
      topic,
      authorizationErrors: asErrors(prepared.errors),
      socket: ctx.extra.socket,
    };
    return {
      schema: executor.apiSchema,
      document: prepared.document,
      operationName: request.operationName,
      variableValues: variables,
      contextValue: accepted,
    };
  }

  function start(accepted: AcceptedSubscription): LiveSubscription {
    const { caller, planned, executor, variables, socket } = accepted;
    const resolve = async (event: StatusChangeEvent): Promise<ExecutionResult> => {
      const authorization = `Bearer ${await options.signIdentity(caller)}`;
      // One user's tabs and devices watching the same thing share one resolution per event.
      const key = `${authorization}\n${accepted.operationKey}\n${event.id}`;
      let shared = recentResults.get(key);
      if (!shared) {
        const context: RouterContext = {
          logger,
          authorization,
          authorizationErrors: [],
          subscriptionEvent: { id: event.id, type: STATUS_CHANGED, payload: event.payload },
        };
        shared = executor.execute(planned, variables, context);
        recentResults.set(key, shared);
        shared.catch(() => recentResults.delete(key));
      }
      const result = await shared;
      if (accepted.authorizationErrors.length === 0) return result;
      return { ...result, errors: [...accepted.authorizationErrors, ...(result.errors ?? [])] };
    };
    let remove = () => {};
    // Each delivery is a span in the trace of the change that caused the event.
    const deliver = (event: StatusChangeEvent) =>
      inSpan(
        `deliver ${planned.rootField.name.value}`,
        {
          kind: SpanKind.CONSUMER,
          parent: contextOfTraceparent(event.traceparent),
          attributes: {
            'messaging.system': 'rabbitmq',
            'messaging.operation.type': 'process',
            'messaging.destination.name': STATUS_CHANGED,
            'messaging.message.id': event.id,
            'graphql.operation.type': 'subscription',
          },
        },
        async () => {
          const result = await resolve(event);
          subscriptionDeliveries.inc({ field: planned.rootField.name.value, outcome: outcomeOf(result.errors) });
          return result;
        },
      );
    const subscription = new LiveSubscription({
      resolve: (event) =>
        deliver(event).catch((error: unknown) => {
          subscriptionDeliveries.inc({ field: planned.rootField.name.value, outcome: 'INTERNAL_SERVER_ERROR' });
          logger.error({ err: error }, 'subscription event failed');
          return {
            errors: [new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })],
          };
        }),
      maxQueued: settings.maxQueuedEvents,
      congested: () => socket.bufferedAmount > settings.maxBufferedBytes,
      onOverflow: () => {
        logger.warn({ topic: accepted.topic }, 'closing a subscriber that cannot keep up');
        socket.close(CLOSE_CODES.tooSlow, closeReason('TOO_SLOW', 'Events arrived faster than the client read them'));
      },
      onEnd: () => remove(),
    });
    remove = options.hub.add(accepted.topic, subscription);
    return subscription;
  }

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      connectionInitWaitTimeout: settings.connectionInitTimeoutMs,
      onConnect: (ctx) => authenticateConnection(ctx),
      onSubscribe: async (ctx, _id, payload) => {
        try {
          return await accept(ctx, payload);
        } catch (error) {
          if (error instanceof RequestError) return refusal(error.code, error.message);
          if (error instanceof DomainError) return [error];
          logger.error({ err: error }, 'subscription refused by an unexpected error');
          return refusal('INTERNAL_SERVER_ERROR', 'Internal server error');
        }
      },
      subscribe: (args) => start(args.contextValue as AcceptedSubscription),
      onNext: (_ctx, _id, _payload, _args, result) => ({
        ...('data' in result ? { data: result.data } : {}),
        ...(result.errors ? { errors: format(result.errors) } : {}),
      }),
      onClose: (ctx) => {
        const connection = connections.get(ctx);
        if (connection?.expiry) clearTimeout(connection.expiry);
      },
    },
    wss,
    settings.keepAliveMs,
  );

  return {
    /** Open WebSocket connections. */
    get connections() {
      return wss.clients.size;
    },
    /** Closes every socket with 1001 (going away), waiting briefly for the close handshakes. */
    async close(): Promise<void> {
      const clients = [...wss.clients];
      await server.dispose();
      const deadline = Date.now() + 2_000;
      while (clients.some((client) => client.readyState !== client.CLOSED) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const client of clients) client.terminate();
    },
  };
}
