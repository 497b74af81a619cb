import type { IncomingMessage } from 'node:http';
import { DomainError, ErrorCode, serviceUnavailable, type Identity, type UserTokenVerifier } from '@minishop/runtime';
import type { Caller } from './caller';
import type { createPartnerKeyResolver } from './partner-keys';

export const API_KEY_HEADER = 'x-api-key';

const unauthenticated = (message: string) =>
  new DomainError(ErrorCode.Unauthenticated, message, { http: { status: 401 } });

/**
 * Establishes who is calling: `Authorization: Bearer <JWT>` (verified against the users JWKS) is a
 * user, `x-api-key` a partner client, neither an anonymous caller. Invalid, expired or unknown
 * credentials are UNAUTHENTICATED (HTTP 401), never silently anonymous.
 */
export function createAuthenticator(options: {
  userTokens: UserTokenVerifier;
  partnerKeys: ReturnType<typeof createPartnerKeyResolver>;
}) {
  return async function authenticate(req: IncomingMessage): Promise<Caller> {
    const apiKey = req.headers[API_KEY_HEADER];
    if (apiKey !== undefined) {
      if (req.headers.authorization) throw unauthenticated('Send either a bearer token or an API key, not both');
      if (typeof apiKey !== 'string' || apiKey.length > 200) throw unauthenticated('API key is not valid');
      const client = await options.partnerKeys.resolve(apiKey).catch(() => {
        throw serviceUnavailable('Partner authentication is unavailable; try again shortly');
      });
      if (!client) throw unauthenticated('API key is not valid');
      return { kind: 'partner', clientId: client.id, name: client.name, manifestId: client.manifestId };
    }
    try {
      const viewer = await options.userTokens.verify(req.headers);
      if (viewer) return { kind: 'user', ...viewer };
    } catch (error) {
      if (error instanceof DomainError) throw unauthenticated(error.message);
      throw error;
    }
    return { kind: 'anonymous', ip: req.socket.remoteAddress ?? 'unknown' };
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
