import { createHash } from 'node:crypto';
import { callSubgraph, type Logger } from '@minishop/runtime';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

export interface PartnerClient {
  id: string;
  name: string;
  manifestId: string;
}

const LOOKUP = `query PartnerClientByApiKey($apiKey: String!) {
  partnerClientByApiKey(apiKey: $apiKey) { id name manifestId }
}`;

const lookupResult = z.object({
  partnerClientByApiKey: z.object({ id: z.string(), name: z.string(), manifestId: z.string() }).nullable(),
});

/**
 * Resolves partner API keys to their client through the users subgraph (which holds the hashed
 * keys), asking as the router itself. Answers, including "no such key", are cached for `ttlMs`
 * under the key's SHA-256, so a revocation takes effect within that time. A failed lookup is not
 * cached and throws (the caller answers SERVICE_UNAVAILABLE).
 */
export function createPartnerKeyResolver(options: {
  usersUrl: string;
  ttlMs: number;
  timeoutMs: number;
  routerToken: () => Promise<string>;
  logger: Logger;
}) {
  // lru-cache reads ttl 0 as "never expires": 0 means no cache at all.
  const cache =
    options.ttlMs > 0
      ? new LRUCache<string, { client: PartnerClient | null }>({ max: 10_000, ttl: options.ttlMs })
      : null;
  return {
    async resolve(apiKey: string): Promise<PartnerClient | null> {
      const cacheKey = createHash('sha256').update(apiKey).digest('base64');
      const cached = cache?.get(cacheKey);
      if (cached) return cached.client;
      const data = await callSubgraph(
        { name: 'users service', url: options.usersUrl, timeoutMs: options.timeoutMs },
        { authorization: `Bearer ${await options.routerToken()}`, logger: options.logger },
        { query: LOOKUP, variables: { apiKey }, data: lookupResult },
      );
      const client = data.partnerClientByApiKey;
      cache?.set(cacheKey, { client });
      return client;
    },
  };
}
