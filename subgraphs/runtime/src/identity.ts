import type { IncomingHttpHeaders } from 'node:http';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { DomainError, ErrorCode, forbidden, unauthenticated } from './errors';
import { SIGNING_ALGORITHM, type SigningKey } from './signing-key';

/** The authenticated caller of a request, as proven by a verified JWT. */
export interface Viewer {
  userId: string;
  roles: string[];
  scopes: string[];
}

/** Turns a request's user access token (`Authorization: Bearer`) into a Viewer: null when absent, a throw when invalid. */
export interface UserTokenVerifier {
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

/** Where a token issuer publishes its public keys (the users subgraph, the router). */
export const JWKS_PATH = '/.well-known/jwks.json';

/** Fetches an issuer's signing keys from its JWKS URL: cached, refetched on an unknown key id. */
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
export function createJwtVerifier(keys: JWTVerifyGetKey, settings: JwtSettings): UserTokenVerifier {
  return {
    async verify(headers) {
      const payload = await verifyBearer(headers, keys, settings, ['sub', 'exp']);
      return payload ? viewerFrom(payload) : null;
    },
  };
}

async function verifyBearer(
  headers: IncomingHttpHeaders,
  keys: JWTVerifyGetKey,
  settings: JwtSettings,
  requiredClaims: string[],
): Promise<JWTPayload | null> {
  const header = headers.authorization;
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
  if (!match?.[1]) throw invalidToken('Authorization header must be "Bearer <token>"');
  try {
    const { payload } = await jwtVerify(match[1], keys, {
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims,
    });
    return payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw invalidToken('Token has expired');
    if (error instanceof joseErrors.JOSEError) throw invalidToken('Token is not valid');
    throw error;
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function viewerFrom(payload: JWTPayload): Viewer {
  const roles = payload['roles'];
  const scope = payload['scope'];
  if (typeof payload.sub !== 'string' || !isStringArray(roles) || typeof scope !== 'string') {
    throw invalidToken('Token claims are malformed');
  }
  return { userId: payload.sub, roles, scopes: scope.split(' ').filter(Boolean) };
}

/**
 * Who a request is for, as asserted by the router in a short-lived token it signs (the identity
 * token): a signed-in user, a partner API client, an anonymous caller, or the router itself (its
 * own calls, e.g. resolving partner API keys). Subgraphs trust only this, never a client's header.
 */
export type Identity =
  | { kind: 'user'; viewer: Viewer }
  | { kind: 'partner'; clientId: string; manifestId: string }
  | { kind: 'anonymous' }
  | { kind: 'router' };

/** The identity token's issuer and audience: only the router issues it, only subgraphs accept it. */
export const IDENTITY_TOKEN = { issuer: 'minishop-router', audience: 'minishop-subgraphs' } as const;

/** Verifies the router's identity token in `Authorization: Bearer`: null when there is none, a throw when invalid. */
export interface IdentityVerifier {
  verify(headers: IncomingHttpHeaders): Promise<Identity | null>;
}

export function createIdentityVerifier(keys: JWTVerifyGetKey): IdentityVerifier {
  return {
    async verify(headers) {
      const payload = await verifyBearer(headers, keys, IDENTITY_TOKEN, ['exp', 'kind']);
      if (!payload) return null;
      switch (payload['kind']) {
        case 'user':
          return { kind: 'user', viewer: viewerFrom(payload) };
        case 'partner': {
          const { sub, manifest_id: manifestId } = payload;
          if (typeof sub !== 'string' || typeof manifestId !== 'string')
            throw invalidToken('Token claims are malformed');
          return { kind: 'partner', clientId: sub, manifestId };
        }
        case 'anonymous':
        case 'router':
          return { kind: payload['kind'] };
        default:
          throw invalidToken('Token claims are malformed');
      }
    },
  };
}

function identityClaims(identity: Identity): JWTPayload {
  switch (identity.kind) {
    case 'user':
      return {
        kind: 'user',
        sub: identity.viewer.userId,
        roles: identity.viewer.roles,
        scope: identity.viewer.scopes.join(' '),
      };
    case 'partner':
      return { kind: 'partner', sub: identity.clientId, manifest_id: identity.manifestId };
    default:
      return { kind: identity.kind };
  }
}

/**
 * Signs identity tokens (router side). A token is reused for the same identity until a quarter of
 * its lifetime remains, so a busy caller costs one signature per few minutes, not one per request.
 */
export function createIdentitySigner(key: SigningKey, options: { ttlSeconds: number; maxCached?: number }) {
  const cache = new Map<string, { token: string; renewAt: number }>();
  const maxCached = options.maxCached ?? 10_000;
  return {
    async sign(identity: Identity): Promise<string> {
      const claims = identityClaims(identity);
      const cacheKey = JSON.stringify(claims);
      const now = Date.now();
      const cached = cache.get(cacheKey);
      if (cached && cached.renewAt > now) return cached.token;
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.publicJwk.kid, typ: 'JWT' })
        .setIssuer(IDENTITY_TOKEN.issuer)
        .setAudience(IDENTITY_TOKEN.audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(now / 1000) + options.ttlSeconds)
        .sign(key.privateKey);
      if (cache.size >= maxCached) cache.clear();
      cache.set(cacheKey, { token, renewAt: now + options.ttlSeconds * 750 });
      return token;
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
