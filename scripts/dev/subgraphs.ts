// Development: all seven subgraphs in one process, each on the port of its routing URL in
// supergraph.yaml.
import { connectPrisma } from '@minishop/db';
import {
  configFields,
  connectRedis,
  createLogger,
  defaultSubgraphPort,
  jwtConfigFields,
  readConfig,
  runProcess,
} from '@minishop/runtime';
import { TokenIssuer, usersConfigFields } from '@minishop/users';
import { serveAllSubgraphs } from './all-subgraphs';

runProcess('subgraphs', async (scope) => {
  const config = readConfig({
    DATABASE_URL: configFields.postgresUrl,
    REDIS_URL: configFields.redisUrl,
    LOG_LEVEL: configFields.logLevel,
    ...jwtConfigFields,
    ...usersConfigFields,
  });
  const logger = createLogger('subgraphs', config.LOG_LEVEL);
  const jwt = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
  const running = await serveAllSubgraphs(
    {
      prisma: connectPrisma(config.DATABASE_URL, scope),
      redis: connectRedis(config.REDIS_URL, scope),
      tokens: await TokenIssuer.fromKeyFile(config.JWT_SIGNING_KEY_FILE, {
        ...jwt,
        ttlSeconds: config.JWT_TTL_SECONDS,
      }),
      jwt,
    },
    { portOf: defaultSubgraphPort, logger },
  );
  for (const subgraph of running) scope.onShutdown(subgraph.stop);
  return logger;
});
