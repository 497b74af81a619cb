import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  Kind,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { LimitCode, LimitError, type OperationLimits } from './operation-limits';

/**
 * Depth, aliases and root fields of every operation in the document (so the result depends on the
 * document alone and can be cached per document hash and client type). Pure; an empty array passes.
 * The document need not be valid: fragment cycles and unknown fields are left to validation.
 */
export function checkShapeLimits(schema: GraphQLSchema, document: DocumentNode, limits: OperationLimits): LimitError[] {
  let depth = 0;
  let aliases = 0;
  // The armor rules measure (limit Infinity) and we compare, to word and code the errors ourselves.
  validate(schema, document, [
    maxDepthRule({
      n: Infinity,
      flattenFragments: true,
      onAccept: [(_context, found: { n: number }) => (depth = Math.max(depth, found.n))],
    }),
    maxAliasesRule({
      n: Infinity,
      // armor exempts `__typename` aliases by default: 500 of them are still 500 result entries.
      allowList: [],
      onAccept: [(_context, found: { n: number }) => (aliases = Math.max(aliases, found.n))],
    }),
  ]);
  const rootFields = Math.max(0, ...operations(document).map((operation) => countRootFields(operation, document)));

  const errors: LimitError[] = [];
  if (depth > limits.maxDepth) {
    errors.push(new LimitError(LimitCode.MaxDepth, `Operation depth ${depth} exceeds the limit of ${limits.maxDepth}`));
  }
  if (aliases > limits.maxAliases) {
    errors.push(
      new LimitError(
        LimitCode.MaxAliases,
        `Operation has ${aliases} aliases, more than the limit of ${limits.maxAliases}`,
      ),
    );
  }
  if (rootFields > limits.maxRootFields) {
    errors.push(
      new LimitError(
        LimitCode.MaxRootFields,
        `Operation has ${rootFields} root fields, more than the limit of ${limits.maxRootFields}`,
      ),
    );
  }
  return errors;
}

function operations(document: DocumentNode): OperationDefinitionNode[] {
  return document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
}

/** Distinct response keys at the root, through fragments (each fragment once, so cycles end). */
function countRootFields(operation: OperationDefinitionNode, document: DocumentNode): number {
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const keys = new Set<string>();
  const seen = new Set<string>();
  const collect = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) keys.add(selection.alias?.value ?? selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return keys.size;
}
