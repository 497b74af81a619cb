import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { DomainError, ErrorCode, serviceUnavailable, type Identity, type UserTokenVerifier } from '@minishop/runtime';
import type { Caller } from './caller';
import type { createPartnerKeyResolver } from './partner-keys';

export const API_KEY_HEADER = 'x-api-key';

const unauthenticated = (message: string) =>
  new DomainError(ErrorCode.Unauthenticated, message, { http: { status: 401 } });

/** What a caller presents: from HTTP headers, or from a WebSocket's `connection_init` payload. */
export interface Credentials {
  /** `Bearer <JWT>`. */
  authorization?: unknown;
  apiKey?: unknown;
  /** The peer's address (anonymous callers are told apart by it). */
  ip: string;
}

/** The address a request comes from (see clientAddressResolver). */
export type ClientAddress = (req: IncomingMessage) => string;

/**
 * The caller's address: the peer's, unless the peer is one of `trustedProxies` (addresses, CIDR ranges
 * or `loopback`, `linklocal`, `uniquelocal`; e.g. the ingress controller's), in which case it is the
 * nearest address in X-Forwarded-For that is not a trusted proxy. With none trusted the header is
 * ignored: anyone could write it.
 */
export function clientAddressResolver(trustedProxies: string[]): ClientAddress {
  if (trustedProxies.length === 0) return (req) => req.socket.remoteAddress ?? 'unknown';
  const trust = proxyaddr.compile(trustedProxies);
  return (req) => proxyaddr(req, trust);
}

export function credentialsOf(req: IncomingMessage, clientAddress: ClientAddress): Credentials {
  return {
    authorization: req.headers.authorization,
    apiKey: req.headers[API_KEY_HEADER],
    ip: clientAddress(req),
  };
}

/**
 * Establishes who is calling: `Authorization: Bearer <JWT>` (verified against the users JWKS) is a
 * user, `x-api-key` a partner client, neither an anonymous caller. Invalid, expired or unknown
 * credentials are UNAUTHENTICATED (HTTP 401), never silently anonymous.
 */
export function createAuthenticator(options: {
  userTokens: UserTokenVerifier;
  partnerKeys: ReturnType<typeof createPartnerKeyResolver>;
}) {
  return async function authenticate({ authorization, apiKey, ip }: Credentials): Promise<Caller> {
    if (authorization !== undefined && typeof authorization !== 'string') {
      throw unauthenticated('Authorization must be "Bearer <token>"');
    }
    if (apiKey !== undefined) {
      if (authorization) throw unauthenticated('Send either a bearer token or an API key, not both');
      if (typeof apiKey !== 'string' || apiKey.length > 200) throw unauthenticated('API key is not valid');
      const client = await options.partnerKeys.resolve(apiKey).catch(() => {
        throw serviceUnavailable('Partner authentication is unavailable; try again shortly');
      });
      if (!client) throw unauthenticated('API key is not valid');
      return { kind: 'partner', clientId: client.id, name: client.name, manifestId: client.manifestId };
    }
    try {
      const viewer = await options.userTokens.verify({ authorization });
      if (viewer) return { kind: 'user', ...viewer };
    } catch (error) {
      if (error instanceof DomainError) throw unauthenticated(error.message);
      throw error;
    }
    return { kind: 'anonymous', ip };
  };
}

/** What the router asserts to subgraphs about a caller (signed into the identity token). */
export function identityOf(caller: Caller): Identity {
  switch (caller.kind) {
    case 'user':
      return { kind: 'user', viewer: { userId: caller.userId, roles: caller.roles, scopes: caller.scopes } };
    case 'partner':
      return { kind: 'partner', clientId: caller.clientId, manifestId: caller.manifestId };
    case 'anonymous':
      return { kind: 'anonymous' };
  }
}
