import {
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isListType,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { LimitCode, LimitError, type OperationLimits } from './operation-limits';

/** Fields the estimate walks at most (fragments spread inside fragments can multiply a small document). */
const MAX_EVALUATED_NODES = 10_000;

/**
 * The cost model, an upper bound on the objects the operation can resolve:
 * - a scalar or enum field costs 0, an object (or interface/union) field 1 plus its selections;
 * - a list field costs its size times that, the size being `first`/`last` (argument, variable or the
 *   schema default) or `defaultListSize`;
 * - a connection (an object field with `first`/`last`) costs 1 plus size times its selections, and
 *   its `edges`/`nodes` lists are not multiplied again;
 * - abstract types cost their most expensive possible type; `@skip`/`@include` are honoured;
 * - `__typename` and introspection fields cost 0.
 */
function costEstimator(defaultListSize: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (field.name.startsWith('__')) return 0;
    const own = isCompositeType(getNamedType(field.type)) ? 1 : 0;
    if (type.name.endsWith('Connection') && (field.name === 'edges' || field.name === 'nodes')) {
      return own + childComplexity;
    }
    const requested = pageSize(args);
    if (isListType(getNullableType(field.type))) return (requested ?? defaultListSize) * (own + childComplexity);
    return requested === undefined ? own + childComplexity : own + requested * childComplexity;
  };
}

function pageSize(args: Record<string, unknown>): number | undefined {
  const size = typeof args.first === 'number' ? args.first : args.last;
  return typeof size === 'number' ? Math.max(0, size) : undefined;
}

/**
 * Estimated cost of the operation that will run (see the model above); 0 when no operation matches
 * `operationName` (execution reports that). Infinity when it cannot be estimated (too many fields
 * through fragments, or arguments that do not coerce): deny when unsure. Throws the GraphQLError
 * when the variables do not fit the operation.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  limits: OperationLimits,
): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  try {
    return getComplexity({
      schema,
      query: document,
      // An anonymous operation must be estimated without a name (the library reads `operation.name`).
      operationName: operation.name?.value,
      variables,
      estimators: [costEstimator(limits.defaultListSize)],
      maxQueryNodes: MAX_EVALUATED_NODES,
    });
  } catch {
    return Infinity;
  }
}

/**
 * COST_ESTIMATED_TOO_EXPENSIVE when the estimate exceeds `limits.maxCost`. Runs per request (the
 * variables change the cost). Variables that do not fit pass here: execution rejects them itself.
 */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  limits: OperationLimits,
): LimitError | undefined {
  let cost: number;
  try {
    cost = estimateCost(schema, document, operationName, variables, limits);
  } catch (error) {
    if (error instanceof GraphQLError) return undefined;
    throw error;
  }
  if (cost <= limits.maxCost) return undefined;
  return new LimitError(
    LimitCode.CostTooExpensive,
    Number.isFinite(cost)
      ? `Operation cost is estimated at ${cost}, more than the budget of ${limits.maxCost}`
      : `Operation is too large to estimate its cost (budget ${limits.maxCost})`,
  );
}
