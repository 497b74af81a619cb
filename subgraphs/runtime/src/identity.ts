import type { IncomingHttpHeaders } from 'node:http';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { DomainError, ErrorCode, forbidden, unauthenticated } from './errors';

/** The authenticated caller of a request, as proven by a verified JWT. */
export interface Viewer {
  userId: string;
  roles: string[];
  scopes: string[];
}

/** Turns a request's Authorization header into a Viewer: null when absent, a throw when invalid. */
export interface IdentityVerifier {
  verify(headers: IncomingHttpHeaders): Promise<Viewer | null>;
}

export interface JwtSettings {
  issuer: string;
  audience: string;
}

/** Claims every token carries; `scope` is space-separated (OAuth 2 convention, read by @requiresScopes). */
export interface AccessTokenClaims {
  sub: string;
  roles: string[];
  scope: string;
}

/** Fetches the signing keys from the users subgraph's JWKS URL: cached, refetched on an unknown key id. */
export function remoteKeySet(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 5_000, cacheMaxAge: 10 * 60_000 });
}

const CLOCK_TOLERANCE_SECONDS = 30;

// Answered as HTTP 200 with a GraphQL error: the gateway then relays message and code to the client
// (on a 401/500 it would replace them with a generic "401: Unauthorized").
const invalidToken = (message: string): DomainError =>
  new DomainError(ErrorCode.Unauthenticated, message, { http: { status: 200 } });

/**
 * Verifies `Authorization: Bearer <JWT>`: signature against the key set, issuer, audience, expiry
 * (30 s clock skew) and the claims' shape. No header means an anonymous request.
 */
export function createJwtVerifier(keys: JWTVerifyGetKey, settings: JwtSettings): IdentityVerifier {
  return {
    async verify(headers) {
      const header = headers.authorization;
      if (!header) return null;
      const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
      if (!match?.[1]) throw invalidToken('Authorization header must be "Bearer <token>"');
      try {
        const { payload } = await jwtVerify(match[1], keys, {
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'exp'],
        });
        const roles = payload['roles'];
        const scope = payload['scope'];
        if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string') || typeof scope !== 'string') {
          throw invalidToken('Token claims are malformed');
        }
        return { userId: String(payload.sub), roles, scopes: scope.split(' ').filter(Boolean) };
      } catch (error) {
        if (error instanceof DomainError) throw error;
        if (error instanceof joseErrors.JWTExpired) throw invalidToken('Token has expired');
        if (error instanceof joseErrors.JOSEError) throw invalidToken('Token is not valid');
        throw error;
      }
    },
  };
}

/** The signed-in viewer, or UNAUTHENTICATED. */
export function requireViewer(context: { viewer: Viewer | null }): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}

/** The signed-in viewer holding every one of `scopes`, or UNAUTHENTICATED / FORBIDDEN. */
export function requireScopes(context: { viewer: Viewer | null }, ...scopes: string[]): Viewer {
  const viewer = requireViewer(context);
  const missing = scopes.filter((scope) => !viewer.scopes.includes(scope));
  if (missing.length > 0) throw forbidden(`Requires scope ${missing.join(', ')}`);
  return viewer;
}
