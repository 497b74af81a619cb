import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import { runSubgraph } from '@minishop/runtime';
import { usersConfigShape } from './config';
import { createUsersSubgraph } from './server';
import { TokenIssuer } from './tokens';

runSubgraph('users', usersConfigShape, async (config, scope) =>
  createUsersSubgraph({
    prisma: connectPrisma(config.DATABASE_URL, scope),
    tokens: await TokenIssuer.fromKeyFile(config.JWT_SIGNING_KEY_FILE, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.JWT_TTL_SECONDS,
    }),
  }),
);
