import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode, type DocumentNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { sessionStore } from '../session';
import { OPERATION_IDS } from './generated';

/** The router's single endpoint, on the origin that served the app (the router, or Vite's dev proxy). */
const GRAPHQL_PATH = '/graphql';

function authorization(): Record<string, string> {
  const token = sessionStore.current?.token;
  return token ? { authorization: `Bearer ${token}` } : {};
}

function operationName(document: DocumentNode): string {
  const definition = getMainDefinition(document);
  return definition.kind === Kind.OPERATION_DEFINITION ? (definition.name?.value ?? '') : '';
}

/** graphql-ws client: authenticates in connection_init; reconnects (and resubscribes) on its own. */
const wsClient = createClient({
  url: () => new URL(GRAPHQL_PATH, window.location.href).toString().replace(/^http/, 'ws'),
  connectionParams: authorization,
  lazy: true,
  retryAttempts: Infinity,
  shouldRetry: () => true,
});

/**
 * Calls `listener` each time the socket reconnects after a drop: events missed meanwhile are not
 * replayed, so live views re-read what they show. Returns the unsubscribe function.
 */
export function onSocketReconnected(listener: () => void): () => void {
  return wsClient.on('connected', (_socket, _payload, wasRetry) => {
    if (wasRetry) listener();
  });
}

// Persisted operations: every operation goes out as its manifest id only (the router safelists
// web.json); an id the router does not know is a build/deploy mismatch, not something to retry.
const persisted = new PersistedQueryLink({
  generateHash: (document) => {
    const id = OPERATION_IDS[operationName(document)];
    if (!id)
      throw new Error(`operation ${operationName(document)} is not in the web manifest: run npm run codegen -w web`);
    return id;
  },
  retry: () => false,
});

const auth = new SetContextLink((prevContext) => ({
  headers: { ...prevContext.headers, ...authorization() },
}));

// A token the router no longer accepts (expired early, signing key rotated...) ends the session.
const endRejectedSession = new ErrorLink(({ error }) => {
  const rejected =
    CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED');
  if (rejected && sessionStore.current) sessionStore.signOut('Your session has ended. Please sign in again.');
});

const transport = ApolloLink.split(
  ({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION;
  },
  new GraphQLWsLink(wsClient),
  // The router's metrics and logs name the client by this (`apollographql-client-name`).
  new HttpLink({ uri: GRAPHQL_PATH, clientAwareness: { name: 'minishop-web' } }),
);

export const client = new ApolloClient({
  link: ApolloLink.from([endRejectedSession, auth, persisted, transport]),
  cache: new InMemoryCache({
    typePolicies: {
      // A cart's items are always replaced whole (every cart mutation returns the full cart).
      Cart: { keyFields: ['userId'], fields: { items: { merge: false } } },
      Coupon: { keyFields: ['code'] },
    },
  }),
  defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
});

// Another identity: nothing cached for the previous one may show, and sockets re-authenticate.
let previousToken = sessionStore.current?.token;
sessionStore.subscribe(() => {
  const token = sessionStore.current?.token;
  if (token === previousToken) return;
  previousToken = token;
  wsClient.terminate();
  void client.clearStore().then(() => client.reFetchObservableQueries());
});
