import { configFields } from '@minishop/runtime';

/** The coupons subgraph's settings (beside those of every subgraph process: subgraphProcessConfigShape). */
export const couponsConfigShape = {
  DATABASE_URL: configFields.postgresUrl,
};
