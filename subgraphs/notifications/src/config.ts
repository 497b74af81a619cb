import { configFields } from '@minishop/runtime';

/** The notifications subgraph's settings (beside those of every subgraph process: subgraphProcessConfigShape). */
export const notificationsConfigShape = {
  DATABASE_URL: configFields.postgresUrl,
};
