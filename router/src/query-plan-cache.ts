import type { QueryPlan } from '@apollo/query-planner';
import type { QueryPlanCache } from '@apollo/query-planner/dist/config';
import { LRUCache } from 'lru-cache';
import { queryPlanCacheLookups } from './metrics';

/** The gateway's query plan cache (cleared by the gateway on every schema change), counting hits and misses. */
export function countingQueryPlanCache(maxPlans: number): QueryPlanCache {
  const plans = new LRUCache<string, QueryPlan>({ max: maxPlans });
  return {
    async get(key) {
      const plan = plans.get(key);
      queryPlanCacheLookups.inc({ result: plan ? 'hit' : 'miss' });
      return plan;
    },
    async set(key, plan) {
      plans.set(key, plan);
    },
    async delete(key) {
      plans.delete(key);
    },
    clear() {
      plans.clear();
    },
  };
}
