// Development: all seven subgraphs in one process, each on the port of its routing URL in
// supergraph.yaml.
import { connectPrisma } from '@minishop/db';
import {
  configFields,
  connectRedis,
  createLogger,
  defaultSubgraphPort,
  readConfig,
  runProcess,
} from '@minishop/runtime';
import { serveAllSubgraphs } from './all-subgraphs';

runProcess('subgraphs', async (scope) => {
  const config = readConfig({
    DATABASE_URL: configFields.postgresUrl,
    REDIS_URL: configFields.redisUrl,
    LOG_LEVEL: configFields.logLevel,
  });
  const logger = createLogger('subgraphs', config.LOG_LEVEL);
  const prisma = connectPrisma(config.DATABASE_URL, scope);
  const redis = connectRedis(config.REDIS_URL, scope);
  const running = await serveAllSubgraphs({ prisma, redis }, { portOf: defaultSubgraphPort, logger });
  for (const subgraph of running) scope.onShutdown(subgraph.stop);
  return logger;
});
