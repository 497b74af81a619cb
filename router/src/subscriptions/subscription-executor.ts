import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import {
  Kind,
  visit,
  type GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { RouterContext } from '../pipeline';

/** An operation ready for the gateway's executor. */
interface Executable {
  plan: QueryPlan;
  operationContext: ReturnType<typeof buildOperationContext>;
}

/** A subscription operation planned once: what each event runs, and the subscribe-time check. */
export interface PlannedSubscription {
  /** The primary fetch (the subgraph owning the field, given the event), then the rest (entity fetches). */
  event: Executable;
  /** The same field selecting only `__typename`: the owning subgraph decides who may subscribe. */
  check: Executable;
  /** The subscription field of the operation (one per operation, by validation). */
  rootField: FieldNode;
}

type RequestContext = Parameters<typeof executeQueryPlan>[2];

/** The parts of Apollo Server's request context the gateway's executor reads: variables, context, logger, metrics. */
function requestContextFor(context: RouterContext, variables: Record<string, unknown>): RequestContext {
  return { request: { variables }, context, logger: context.logger, metrics: {} } as unknown as RequestContext;
}

/**
 * Subscription operations through the supergraph's query planning, for one served schema: the
 * planner (the gateway's own, on the same supergraph) turns an operation into a Subscription node
 * whose primary fetch goes to the subgraph owning the field and whose rest reaches the others.
 * Per event, the router runs primary + rest with the gateway's executor; the data sources hand the
 * primary fetch the event (see IdentityForwardingDataSource), so no join is written by hand.
 */
export class SubscriptionExecutor {
  /** The gateway's API schema (graphql-js), which client documents were validated against. */
  readonly apiSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  private readonly supergraphApiSchema: Schema;
  private readonly supergraphSchema: GraphQLSchema;
  private readonly plans: LRUCache<string, PlannedSubscription>;
  private readonly services: ServiceMap;

  constructor(options: {
    /** The supergraph SDL the gateway serves. */
    supergraphSdl: string;
    /** The gateway's API schema (graphql-js), which client documents were validated against. */
    apiSchema: GraphQLSchema;
    dataSource: (name: string, url: string) => GraphQLDataSource<RouterContext>;
    maxPlans: number;
  }) {
    const supergraph = Supergraph.build(options.supergraphSdl);
    this.planner = new QueryPlanner(supergraph);
    this.supergraphApiSchema = supergraph.apiSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.apiSchema = options.apiSchema;
    this.plans = new LRUCache({ max: options.maxPlans });
    this.services = Object.fromEntries(
      [...supergraph.subgraphs()].map((subgraph) => [
        subgraph.name,
        options.dataSource(subgraph.name, subgraph.url) as GraphQLDataSource,
      ]),
    );
  }

  /** The plan of a valid subscription operation, cached under `key` (the document's hash and operation name). */
  plan(key: string, document: DocumentNode, operationName: string | undefined): PlannedSubscription {
    let planned = this.plans.get(key);
    if (!planned) {
      const event = this.executable(document, operationName);
      const rootField = event.operationContext.operation.selectionSet.selections[0] as FieldNode;
      planned = {
        event,
        check: this.executable(checkDocument(event.operationContext.operation, rootField)),
        rootField,
      };
      this.plans.set(key, planned);
    }
    return planned;
  }

  /** Asks the owning subgraph whether this caller may subscribe: its errors (e.g. NOT_FOUND) refuse it. */
  async check(
    planned: PlannedSubscription,
    variables: Record<string, unknown>,
    context: RouterContext,
  ): Promise<readonly GraphQLError[]> {
    const result = await this.run(planned.check, variables, context);
    return result.errors ?? [];
  }

  /** Resolves one event's payload for one subscriber (the event travels in `context.subscriptionEvent`). */
  execute(planned: PlannedSubscription, variables: Record<string, unknown>, context: RouterContext) {
    return this.run(planned.event, variables, context);
  }

  private executable(document: DocumentNode, operationName?: string): Executable {
    const operation = operationFromDocument(this.supergraphApiSchema, document, { operationName });
    const node = this.planner.buildQueryPlan(operation).node;
    if (node?.kind !== 'Subscription') throw new Error('a subscription operation did not plan as a Subscription');
    return {
      plan: {
        kind: 'QueryPlan',
        node: node.rest ? { kind: 'Sequence', nodes: [node.primary, node.rest] } : node.primary,
      },
      operationContext: buildOperationContext({ schema: this.apiSchema, operationDocument: document, operationName }),
    };
  }

  private async run(
    executable: Executable,
    variables: Record<string, unknown>,
    context: RouterContext,
  ): Promise<ExecutionResult> {
    return (await executeQueryPlan(
      executable.plan,
      this.services,
      requestContextFor(context, variables),
      executable.operationContext,
      this.supergraphSchema,
      this.supergraphApiSchema,
    )) as ExecutionResult;
  }
}

/** The operation reduced to its subscription field selecting `__typename`, with the variables its arguments use. */
function checkDocument(operation: OperationDefinitionNode, root: FieldNode): DocumentNode {
  const used = new Set<string>();
  for (const argument of root.arguments ?? []) {
    visit(argument, { Variable: (variable) => void used.add(variable.name.value) });
  }
  const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
  const check: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: operation.variableDefinitions?.filter((definition) =>
      used.has(definition.variable.name.value),
    ),
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [{ ...root, directives: [], selectionSet: { kind: Kind.SELECTION_SET, selections: [typename] } }],
    },
  };
  return { kind: Kind.DOCUMENT, definitions: [check] };
}
