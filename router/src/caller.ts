/**
 * Who is calling the router, as established by authentication: nobody (no credentials), a signed-in
 * user (verified JWT) or a partner API client (API key). Limits, rate limits, persisted-operation
 * rules and authorization all key on it.
 */
export type Caller =
  | { kind: 'anonymous'; ip: string }
  | { kind: 'user'; userId: string; roles: string[]; scopes: string[] }
  | { kind: 'partner'; clientId: string; name: string; manifestId: string };

export type ClientType = Caller['kind'];

export const CLIENT_TYPES: readonly ClientType[] = ['anonymous', 'user', 'partner'];

/** A stable per-client key (rate-limit buckets, logs): the IP for anonymous callers. */
export function callerKey(caller: Caller): string {
  switch (caller.kind) {
    case 'anonymous':
      return `ip:${caller.ip}`;
    case 'user':
      return `user:${caller.userId}`;
    case 'partner':
      return `partner:${caller.clientId}`;
  }
}
