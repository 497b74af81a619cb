import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { ClientType } from '../caller';
import { readPerClientOverrides } from './per-client-overrides';

/** What one operation may ask for; each client type has its own set. */
export interface OperationLimits {
  /** Deepest field nesting (a leaf counts as a level; fragments add none). */
  maxDepth: number;
  /** Aliased fields in the operation, counted per fragment spread. */
  maxAliases: number;
  /** Distinct top-level fields (`__` meta fields excluded). */
  maxRootFields: number;
  /** Lexical tokens of the whole document (enforced while parsing, before anything else). */
  maxTokens: number;
  /** Budget for the estimated cost (see estimate-cost.ts for the model). */
  maxCost: number;
  /** Assumed length of a list field that has no `first`/`last` argument. */
  defaultListSize: number;
}

const positiveInt = z.number().int().positive();
const operationLimitsShape = {
  maxDepth: positiveInt,
  maxAliases: z.number().int().min(0),
  maxRootFields: positiveInt,
  maxTokens: positiveInt,
  maxCost: positiveInt,
  defaultListSize: z.number().int().min(0),
};

/**
 * Anonymous callers get the storefront's needs and little more (their keys are cheap: any IP);
 * signed-in users a little more room (account pages nest deeper: me > orders > items > product);
 * partners run curated feeds: shallow and few aliases, but large pages, so a larger cost budget.
 */
export const DEFAULT_OPERATION_LIMITS: Record<ClientType, OperationLimits> = {
  anonymous: {
    maxDepth: 10,
    maxAliases: 10,
    maxRootFields: 6,
    maxTokens: 2_000,
    maxCost: 5_000,
    defaultListSize: 10,
  },
  user: {
    maxDepth: 12,
    maxAliases: 20,
    maxRootFields: 10,
    maxTokens: 5_000,
    maxCost: 10_000,
    defaultListSize: 10,
  },
  partner: {
    maxDepth: 8,
    maxAliases: 5,
    maxRootFields: 5,
    maxTokens: 2_000,
    maxCost: 50_000,
    defaultListSize: 10,
  },
};

/** `OPERATION_LIMITS` (JSON of partial per-client-type overrides) merged over the defaults. */
export function readOperationLimits(json: string | undefined): Record<ClientType, OperationLimits> {
  return readPerClientOverrides('OPERATION_LIMITS', json, operationLimitsShape, DEFAULT_OPERATION_LIMITS);
}

export const LimitCode = {
  MaxTokens: 'MAX_TOKENS_LIMIT',
  MaxDepth: 'MAX_DEPTH_LIMIT',
  MaxAliases: 'MAX_ALIASES_LIMIT',
  MaxRootFields: 'MAX_ROOT_FIELDS_LIMIT',
  CostTooExpensive: 'COST_ESTIMATED_TOO_EXPENSIVE',
} as const;
export type LimitCode = (typeof LimitCode)[keyof typeof LimitCode];

/** An operation over one of its limits: answered with HTTP 400 and `extensions.code`, nothing executes. */
export class LimitError extends GraphQLError {
  readonly status = 400;

  constructor(
    readonly code: LimitCode,
    message: string,
  ) {
    super(message, { extensions: { code } });
    this.name = 'LimitError';
  }
}
