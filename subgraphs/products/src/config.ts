import { configFields } from '@minishop/runtime';

/** The products subgraph's settings (beside those of every subgraph process: subgraphProcessConfigShape). */
export const productsConfigShape = {
  DATABASE_URL: configFields.postgresUrl,
};
