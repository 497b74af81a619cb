import {
  getOperationAST,
  GraphQLError,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationTypeNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { analyzeOperation, type AccessIndex, type OperationAccess } from './authorization';
import type { ClientType } from './caller';
import { checkCost, checkShapeLimits, parseWithinLimits, type LimitError, type OperationLimits } from './protection';

/** One operation of a parsed document: what the pipeline needs, computed once per document. */
export interface OperationAnalysis {
  document: DocumentNode;
  /** Validation errors against the API schema: when any, nothing else applies and the operation never runs. */
  validationErrors: readonly GraphQLError[];
  /** null when the operation name does not select an operation (Apollo Server reports it). */
  type: OperationTypeNode | null;
  /** The selected operation's own name (also when the client sent no `operationName`). */
  name: string | null;
  introspection: boolean;
  access: OperationAccess;
  /** Depth/alias/root-field violations, per client type (computed on first use). */
  shapeErrors: Map<ClientType, LimitError[]>;
  /** Cost verdicts per client type and variables (a few recent ones: pages and searches repeat). */
  costErrors: Map<string, LimitError | null>;
}

/** The schema the router currently serves, with its access index; replaced on every supergraph update. */
export interface ServedSchema {
  apiSchema: GraphQLSchema;
  access: AccessIndex;
}

const MAX_COST_VERDICTS = 32;
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

function selectsIntrospection(document: DocumentNode, operationName: string | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  return (
    operation?.selectionSet.selections.some(
      (selection) => selection.kind === 'Field' && INTROSPECTION_ROOTS.has(selection.name.value),
    ) ?? false
  );
}

/**
 * Per-document work (parse, operation lookup, authorization requirements, shape limits) cached by
 * the document's hash in a bounded LRU, so a repeated operation costs a hash and a map lookup.
 * The cache belongs to one served schema: a supergraph update starts a fresh one.
 */
export class DocumentCache {
  private readonly parsed: LRUCache<string, DocumentNode | GraphQLError>;
  private readonly operations: LRUCache<string, OperationAnalysis>;

  constructor(
    readonly schema: ServedSchema,
    maxEntries: number,
  ) {
    this.parsed = new LRUCache({ max: maxEntries });
    this.operations = new LRUCache({ max: maxEntries });
  }

  /** The parsed document (`hash` is the query's hash), or a token-limit or syntax error. */
  parse(hash: string, query: string, limits: OperationLimits): DocumentNode | GraphQLError {
    const key = `${limits.maxTokens}:${hash}`;
    let parsed = this.parsed.get(key);
    if (!parsed) {
      parsed = parseWithinLimits(query, limits);
      this.parsed.set(key, parsed);
    }
    return parsed;
  }

  analyze(hash: string, document: DocumentNode, operationName: string | undefined): OperationAnalysis {
    const key = `${operationName ?? ''}\n${hash}`;
    let analysis = this.operations.get(key);
    if (!analysis) {
      const operation = getOperationAST(document, operationName);
      analysis = {
        document,
        validationErrors: validate(this.schema.apiSchema, document),
        type: operation?.operation ?? null,
        name: operation?.name?.value ?? null,
        introspection: selectsIntrospection(document, operationName),
        access: analyzeOperation(this.schema.apiSchema, this.schema.access, document, operationName),
        shapeErrors: new Map(),
        costErrors: new Map(),
      };
      this.operations.set(key, analysis);
    }
    return analysis;
  }

  shapeErrors(analysis: OperationAnalysis, clientType: ClientType, limits: OperationLimits): LimitError[] {
    let errors = analysis.shapeErrors.get(clientType);
    if (!errors) {
      errors = checkShapeLimits(this.schema.apiSchema, analysis.document, limits);
      analysis.shapeErrors.set(clientType, errors);
    }
    return errors;
  }

  costError(
    analysis: OperationAnalysis,
    clientType: ClientType,
    limits: OperationLimits,
    operationName: string | undefined,
    variables: Record<string, unknown>,
  ): LimitError | null {
    const key = `${clientType}\n${JSON.stringify(variables)}`;
    let error = analysis.costErrors.get(key);
    if (error === undefined) {
      error = checkCost(this.schema.apiSchema, analysis.document, operationName, variables, limits) ?? null;
      if (analysis.costErrors.size >= MAX_COST_VERDICTS) analysis.costErrors.clear();
      analysis.costErrors.set(key, error);
    }
    return error;
  }
}
