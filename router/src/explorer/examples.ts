import { readFileSync } from 'node:fs';
import path from 'node:path';

export const EXAMPLES_DIR = path.join(__dirname, 'examples');

/** One default explorer tab: a file under ./examples holding one named operation, and its variables. */
export interface ExplorerExample {
  file: string;
  variables?: Record<string, unknown>;
  /** Whose token the operation needs (its comment tells the developer); anyone may run it when absent. */
  signIn?: 'customer' | 'admin';
}

/** The default tabs, in order: one example per domain; the first one explains headers and tokens. */
export const EXPLORER_EXAMPLES: readonly ExplorerExample[] = [
  // No variables here: GraphiQL 3 leaves the variables editor empty for the first tab on a first visit.
  { file: 'catalog.graphql' },
  { file: 'login.graphql', variables: { email: 'customer@minishop.dev', password: 'customer123!' } },
  { file: 'me.graphql', signIn: 'customer' },
  { file: 'order-status.graphql', signIn: 'customer' },
  { file: 'reviews.graphql', variables: { search: 'headphones' } },
  { file: 'coupon.graphql', variables: { code: 'WELCOME10', subtotal: { amount: 5000, currency: 'EUR' } } },
  {
    file: 'create-coupon.graphql',
    variables: {
      input: { code: 'EXPLORER10', description: 'Created from the explorer', kind: 'PERCENT', value: 10 },
    },
    signIn: 'admin',
  },
];

/** A GraphiQL default tab (`TabDefinition`): editor contents as text. */
export interface ExplorerTab {
  query: string;
  variables?: string;
}

/** Reads the examples from disk as GraphiQL default tabs. Throws when a file is missing. */
export function exampleTabs(): ExplorerTab[] {
  return EXPLORER_EXAMPLES.map(({ file, variables }) => ({
    query: readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'),
    ...(variables ? { variables: JSON.stringify(variables, null, 2) } : {}),
  }));
}
