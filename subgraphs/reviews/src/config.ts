import { configFields } from '@minishop/runtime';

/** The reviews subgraph's settings (beside those of every subgraph process: subgraphProcessConfigShape). */
export const reviewsConfigShape = {
  DATABASE_URL: configFields.postgresUrl,
};
