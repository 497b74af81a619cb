// Development: all seven subgraphs in one process, each on the port of its routing URL in
// supergraph.yaml.
import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import {
  configFields,
  connectRedis,
  createIdentityVerifier,
  createLogger,
  defaultSubgraphPort,
  identityConfigFields,
  readConfig,
  remoteKeySet,
  runProcess,
} from '@minishop/runtime';
import { TokenIssuer, usersConfigShape } from '@minishop/users';
import { serveAllSubgraphs } from './all-subgraphs';

runProcess('subgraphs', async (scope) => {
  const config = readConfig({
    ...usersConfigShape,
    REDIS_URL: configFields.redisUrl,
    LOG_LEVEL: configFields.logLevel,
    ...identityConfigFields,
  });
  const logger = createLogger('subgraphs', config.LOG_LEVEL);
  const running = await serveAllSubgraphs(
    {
      prisma: connectPrisma(config.DATABASE_URL, scope),
      redis: connectRedis(config.REDIS_URL, scope),
      tokens: await TokenIssuer.fromKeyFile(config.JWT_SIGNING_KEY_FILE, {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        ttlSeconds: config.JWT_TTL_SECONDS,
      }),
      // The router's keys are fetched on first use: it starts after the subgraphs.
      identity: createIdentityVerifier(remoteKeySet(config.IDENTITY_JWKS_URL)),
    },
    { portOf: defaultSubgraphPort, logger },
  );
  for (const subgraph of running) scope.onShutdown(subgraph.stop);
  return logger;
});
