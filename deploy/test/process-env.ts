// What each process of the image reads from its environment, taken from the processes' own config
// schemas: the one source of truth the deployment manifests are checked against.
import type { z } from 'zod';
import { readSupergraphConfig, subgraphProcessConfigShape } from '@minishop/runtime';
import { TELEMETRY_ENV_NAMES } from '@minishop/runtime/src/telemetry';
import { databaseConfigShape, migrationConfigShape } from '../../prisma/src/config';
import { routerConfigShape, SUBGRAPH_URL_PREFIX } from '../../router/src/config';
import { webServerConfigShape } from '../../router/src/web-app';
import { PROCESS_ENTRIES, type ProcessName } from '../../scripts/container/processes';
import { cartConfigShape } from '../../subgraphs/cart/src/config';
import { couponsConfigShape } from '../../subgraphs/coupons/src/config';
import { notificationsConfigShape } from '../../subgraphs/notifications/src/config';
import { ordersConfigShape } from '../../subgraphs/orders/src/config';
import { productsConfigShape } from '../../subgraphs/products/src/config';
import { reviewsConfigShape } from '../../subgraphs/reviews/src/config';
import { usersConfigShape } from '../../subgraphs/users/src/config';
import { workersConfigShape } from '../../workers/src/config';

export { PROCESS_ENTRIES, type ProcessName };

const SHAPES: Record<ProcessName, z.ZodRawShape> = {
  router: routerConfigShape({}),
  users: { ...usersConfigShape, ...subgraphProcessConfigShape('users') },
  products: { ...productsConfigShape, ...subgraphProcessConfigShape('products') },
  orders: { ...ordersConfigShape, ...subgraphProcessConfigShape('orders') },
  reviews: { ...reviewsConfigShape, ...subgraphProcessConfigShape('reviews') },
  cart: { ...cartConfigShape, ...subgraphProcessConfigShape('cart') },
  coupons: { ...couponsConfigShape, ...subgraphProcessConfigShape('coupons') },
  notifications: { ...notificationsConfigShape, ...subgraphProcessConfigShape('notifications') },
  workers: workersConfigShape,
  migrate: migrationConfigShape,
  seed: databaseConfigShape,
  web: webServerConfigShape,
};

const SUBGRAPH_NAMES = readSupergraphConfig().map((subgraph) => subgraph.name);

export interface EnvProblem {
  name: string;
  problem: string;
}

/**
 * Checks the variables a process is given: every name is one it reads (its config schema, the
 * telemetry settings, or an OpenTelemetry SDK OTEL_* setting), every required one is given, and every
 * literal value parses. `values` maps names to literal values, or to undefined when set from a secret.
 */
export function checkProcessEnv(process: ProcessName, values: Record<string, string | undefined>): EnvProblem[] {
  const shape = SHAPES[process];
  const problems: EnvProblem[] = [];
  for (const [name, value] of Object.entries(values)) {
    const field = shape[name] as z.ZodType | undefined;
    if (process === 'router' && name.startsWith(SUBGRAPH_URL_PREFIX)) {
      const subgraph = name.slice(SUBGRAPH_URL_PREFIX.length).toLowerCase();
      if (!SUBGRAPH_NAMES.includes(subgraph)) problems.push({ name, problem: 'names no subgraph of supergraph.yaml' });
      else if (value !== undefined && !URL.canParse(value)) problems.push({ name, problem: `${value} is not a URL` });
      continue;
    }
    if (!field) {
      const telemetry = (TELEMETRY_ENV_NAMES as readonly string[]).includes(name) || name.startsWith('OTEL_');
      if (!telemetry) problems.push({ name, problem: `is not read by ${process}` });
      continue;
    }
    if (value === undefined) continue;
    const parsed = field.safeParse(value);
    if (!parsed.success)
      problems.push({ name, problem: `${JSON.stringify(value)}: ${parsed.error.issues[0]?.message}` });
  }
  for (const [name, field] of Object.entries(shape)) {
    if (!(name in values) && !(field as z.ZodType).safeParse(undefined).success) {
      problems.push({ name, problem: `is required by ${process} and not given` });
    }
  }
  return problems;
}

/** The port a process listens on when its port variable is not set. */
export function defaultPortOf(process: ProcessName): number | undefined {
  const shape = SHAPES[process];
  const field = (shape.PORT ?? shape.WORKERS_PORT) as z.ZodType | undefined;
  const port = field?.safeParse(undefined);
  return port?.success ? (port.data as number) : undefined;
}

/** The variable that sets a process's (main) port. */
export function portVariableOf(process: ProcessName): string | undefined {
  const shape = SHAPES[process];
  return 'PORT' in shape ? 'PORT' : 'WORKERS_PORT' in shape ? 'WORKERS_PORT' : undefined;
}
