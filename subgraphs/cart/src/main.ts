import { configFields, connectRedis, runSubgraph } from '@minishop/runtime';
import { createCartSubgraph } from './server';

runSubgraph('cart', { REDIS_URL: configFields.redisUrl }, (config, scope) =>
  createCartSubgraph({ redis: connectRedis(config.REDIS_URL, scope) }),
);
