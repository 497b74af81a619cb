import type { Logger } from '@minishop/runtime';
import { LRUCache } from 'lru-cache';
import type { PolicyDecisionPoint, PolicyDecisions, PolicyInput } from './decision-point';

export interface GuardedDecisionPointOptions {
  /** How long the decisions for an identical input are reused; 0 turns the cache off. */
  cacheTtlMs: number;
  /** Bounds the cache's memory (distinct inputs remembered). */
  maxEntries: number;
  /** Bounds each call to the inner decision point; past it, the requested policies are denied. */
  timeoutMs: number;
  logger: Logger;
}

/**
 * What the router asks: wraps a decision point with a short-lived decision cache (keyed by the input's
 * canonical JSON; identical concurrent inputs share one inner call), a timeout and deny-on-failure.
 * Never throws: a failure, a timeout or a malformed answer denies every requested policy and logs a
 * warning; a missing or non-boolean decision denies that policy. Failures are not cached. An empty
 * policy list answers {} without asking the inner point.
 */
export function guardedDecisionPoint(
  inner: PolicyDecisionPoint,
  options: GuardedDecisionPointOptions,
): PolicyDecisionPoint {
  const { cacheTtlMs, maxEntries, timeoutMs, logger } = options;
  // lru-cache reads ttl 0 as "never expires", the opposite of what 0 means here.
  const cache =
    cacheTtlMs > 0 ? new LRUCache<string, Promise<PolicyDecisions>>({ max: maxEntries, ttl: cacheTtlMs }) : undefined;

  const ask = (input: PolicyInput): Promise<PolicyDecisions> => {
    const key = canonicalJson(input);
    const cached = cache?.get(key);
    if (cached) return cached;
    const pending = withTimeout(callInner(inner, input), timeoutMs).then((raw) => requested(raw, input.policies));
    cache?.set(key, pending);
    pending.catch((error: unknown) => {
      if (cache?.peek(key) === pending) cache.delete(key);
      logger.warn(
        { err: error, policies: input.policies, operationName: input.operation.name },
        'policy decision failed: denying the requested policies',
      );
    });
    return pending;
  };

  return {
    async decide(input) {
      const policies = [...new Set(input.policies)].sort();
      if (policies.length === 0) return {};
      try {
        return await ask({ ...input, policies });
      } catch {
        return Object.fromEntries(policies.map((name) => [name, false]));
      }
    },
  };
}

// An async wrapper turns an inner point that throws synchronously into a rejection like any other.
async function callInner(inner: PolicyDecisionPoint, input: PolicyInput): Promise<PolicyDecisions> {
  return inner.decide(input);
}

// Only what was asked, and only a literal true allows (an inner point is not trusted to be well-typed).
function requested(raw: PolicyDecisions, policies: string[]): PolicyDecisions {
  const answer: object = typeof raw === 'object' && raw !== null ? raw : {};
  return Object.fromEntries(
    policies.map((name) => [name, Object.hasOwn(answer, name) && Reflect.get(answer, name) === true]),
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no policy decision within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** JSON with object keys sorted at every level, so equal inputs give equal cache keys. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
}
