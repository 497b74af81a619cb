import type { Role } from '@minishop/db';
import { loadOrCreateSigningKey, SIGNING_ALGORITHM, type JwtSettings, type SigningKey } from '@minishop/runtime';
import { SignJWT, type JSONWebKeySet } from 'jose';
import { scopesFor } from './roles';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export type TokenSettings = JwtSettings & { ttlSeconds: number };

/** Signs access tokens with the users subgraph's key and publishes the public half (JWKS). */
export class TokenIssuer {
  /** An issuer whose key lives in `keyFile` (created on first start). */
  static async fromKeyFile(keyFile: string, settings: TokenSettings): Promise<TokenIssuer> {
    return new TokenIssuer(await loadOrCreateSigningKey(keyFile), settings);
  }

  readonly jwks: JSONWebKeySet;

  constructor(
    private readonly key: SigningKey,
    private readonly settings: TokenSettings,
  ) {
    this.jwks = { keys: [key.publicJwk] };
  }

  /** An access token for a user: subject, roles, scopes derived from roles, issuer, audience, expiry. */
  async issue(user: { id: string; roles: Role[] }): Promise<IssuedToken> {
    const expiresAt = new Date(Math.floor(Date.now() / 1000 + this.settings.ttlSeconds) * 1000);
    const token = await new SignJWT({ roles: user.roles, scope: scopesFor(user.roles).join(' ') })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: this.key.publicJwk.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.key.privateKey);
    return { token, expiresAt };
  }
}
