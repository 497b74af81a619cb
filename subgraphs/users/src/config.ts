import path from 'node:path';
import { configFields, jwtConfigFields, repoRoot } from '@minishop/runtime';
import { z } from 'zod';

/** The users subgraph's settings (beside those of every subgraph process: subgraphProcessConfigShape). */
export const usersConfigShape = {
  DATABASE_URL: configFields.postgresUrl,
  ...jwtConfigFields,
  /** Private signing key (JWK); created on first start. Deployed: a mounted secret. */
  JWT_SIGNING_KEY_FILE: z.string().min(1).default(path.join(repoRoot, '.data/dev/keys/jwt-signing-key.json')),
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
};
