import {
  getNamedType,
  getOperationAST,
  isInterfaceType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { requirementsAt, type AccessIndex } from './access-index';
import { combine, hasRequirements, policyNames, requirementsKey, type Requirements } from './requirements';
import { usedFragments } from './used-fragments';

/** What an operation asks of callers. Computed once per (document, operation name); pure. */
export interface OperationAccess {
  /** False when no selection is guarded: every caller may run the operation as it is. */
  readonly hasRequirements: boolean;
  /** Every policy name involved, to ask the decision point once per request. */
  readonly policies: readonly string[];
  /** What `authorizeOperation` works from; null when there is nothing to check. */
  readonly plan: AccessPlan | null;
}

export interface AccessPlan {
  readonly operation: OperationDefinitionNode;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The distinct requirements of the guarded selections. */
  readonly requirements: readonly Requirements[];
  /** Each guarded selection node (in the operation or a fragment it uses) with its index in `requirements`. */
  readonly guards: ReadonlyMap<SelectionNode, number>;
  /** The operation's shape down to its guarded selections, for error paths. */
  readonly sites: readonly Site[];
}

/** A selection on the way to guarded selections. Fragment spreads share their fragment's sites. */
export interface Site {
  /** The response key (alias or name) a field adds to the path; fragments add none. */
  readonly key?: string;
  /** Index of this selection's own requirements in `AccessPlan.requirements`. */
  readonly guard?: number;
  /** The response keys, under the parent path, that go missing when this selection is removed. */
  readonly removedKeys: readonly string[];
  readonly children: readonly Site[];
  /** Every guard in this subtree, own included, so subtrees that cannot fail are skipped. */
  readonly guards: readonly number[];
}

const UNGUARDED: OperationAccess = { hasRequirements: false, policies: [], plan: null };

/**
 * Computes what the operation touches and which of its selections carry authorization requirements.
 * An unknown operation name or an invalid document yields no requirements (validation reports it).
 */
export function analyzeOperation(
  apiSchema: GraphQLSchema,
  index: AccessIndex,
  document: DocumentNode,
  operationName?: string,
): OperationAccess {
  const operation = getOperationAST(document, operationName);
  if (!operation || index.byCoordinate.size === 0) return UNGUARDED;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const selectionRequirements = requirementsBySelection(apiSchema, index, operation, fragments);
  if (selectionRequirements.size === 0) return UNGUARDED;

  const requirements: Requirements[] = [];
  const indexByKey = new Map<string, number>();
  const guards = new Map<SelectionNode, number>();
  for (const [node, required] of selectionRequirements) {
    const key = requirementsKey(required);
    let guard = indexByKey.get(key);
    if (guard === undefined) {
      guard = requirements.push(required) - 1;
      indexByKey.set(key, guard);
    }
    guards.set(node, guard);
  }
  return {
    hasRequirements: true,
    policies: [...new Set(requirements.flatMap(policyNames))],
    plan: { operation, fragments, requirements, guards, sites: buildSites(operation.selectionSet, fragments, guards) },
  };
}

/** The requirements of every selection of the operation and the fragments it uses that has any. */
function requirementsBySelection(
  schema: GraphQLSchema,
  index: AccessIndex,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): Map<SelectionNode, Requirements> {
  const found = new Map<SelectionNode, Requirements>();
  const guard = (node: SelectionNode, requirements: Requirements) => {
    if (hasRequirements(requirements)) found.set(node, requirements);
  };
  const typeInfo = new TypeInfo(schema);
  const definitions = [operation, ...usedFragments(operation, (name) => fragments.get(name))];
  visit(
    { kind: Kind.DOCUMENT, definitions },
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        // __typename and introspection are never guarded; an unknown field is left to validation.
        if (parent && field && !field.name.startsWith('__'))
          guard(node, fieldRequirements(schema, index, parent, field));
      },
      // A type condition brings the requirements of its type.
      InlineFragment(node) {
        if (node.typeCondition) guard(node, requirementsAt(index, node.typeCondition.name.value));
      },
      FragmentSpread(node) {
        const fragment = fragments.get(node.name.value);
        if (fragment) guard(node, requirementsAt(index, fragment.typeCondition.name.value));
      },
    }),
  );
  return found;
}

/**
 * A field needs its own requirements and its return type's. On a root type it also needs the root
 * type's (nothing else reaches that type). Selected through an interface, it needs those of every
 * implementation and of the implementation's field, as Apollo Router does: the data may come from
 * any of them. (Composition already copies implementation requirements onto interfaces; this keeps
 * enforcement right for supergraphs where it did not.)
 */
function fieldRequirements(
  schema: GraphQLSchema,
  index: AccessIndex,
  parent: GraphQLCompositeType,
  field: GraphQLField<unknown, unknown>,
): Requirements {
  let requirements = ownFieldRequirements(index, parent.name, field);
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  if (roots.some((root) => root === parent)) requirements = combine(requirements, requirementsAt(index, parent.name));
  if (isInterfaceType(parent)) {
    for (const implementation of schema.getPossibleTypes(parent)) {
      const implementationField = implementation.getFields()[field.name];
      requirements = combine(requirements, requirementsAt(index, implementation.name));
      if (implementationField) {
        requirements = combine(requirements, ownFieldRequirements(index, implementation.name, implementationField));
      }
    }
  }
  return requirements;
}

function ownFieldRequirements(index: AccessIndex, typeName: string, field: GraphQLField<unknown, unknown>) {
  return combine(
    requirementsAt(index, `${typeName}.${field.name}`),
    requirementsAt(index, getNamedType(field.type).name),
  );
}

/**
 * The operation's selections that lead to guarded ones, with response keys for error paths. Each
 * fragment is built once and shared by its spreads, so the work stays linear in the document size
 * even when fragments are spread many times.
 */
function buildSites(
  root: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  guards: ReadonlyMap<SelectionNode, number>,
): Site[] {
  const fragmentSites = new Map<string, readonly Site[]>();
  const fragmentKeys = new Map<string, readonly string[]>();

  const sitesOf = (selectionSet: SelectionSetNode): Site[] =>
    selectionSet.selections.flatMap((selection) => siteOf(selection) ?? []);

  const siteOf = (selection: SelectionNode): Site | undefined => {
    const guard = guards.get(selection);
    let children: readonly Site[];
    let key: string | undefined;
    if (selection.kind === Kind.FIELD) {
      key = (selection.alias ?? selection.name).value;
      children = selection.selectionSet ? sitesOf(selection.selectionSet) : [];
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      children = sitesOf(selection.selectionSet);
    } else {
      children = memoized(fragmentSites, selection.name.value, [], (fragment) => sitesOf(fragment.selectionSet));
    }
    const subtreeGuards = new Set(children.flatMap((child) => child.guards));
    if (guard !== undefined) subtreeGuards.add(guard);
    if (subtreeGuards.size === 0) return undefined;
    return {
      ...(key === undefined ? {} : { key }),
      ...(guard === undefined ? {} : { guard }),
      removedKeys: guard === undefined ? [] : responseKeys(selection),
      children,
      guards: [...subtreeGuards],
    };
  };

  // The keys a selection puts into its parent object: a field's own, a fragment's fields' keys.
  const responseKeys = (selection: SelectionNode): readonly string[] => {
    if (selection.kind === Kind.FIELD) return [(selection.alias ?? selection.name).value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return keysOf(selection.selectionSet);
    return memoized(fragmentKeys, selection.name.value, [], (fragment) => keysOf(fragment.selectionSet));
  };
  const keysOf = (selectionSet: SelectionSetNode) => [...new Set(selectionSet.selections.flatMap(responseKeys))];

  // Per-fragment results; a spread of an unknown fragment or a fragment cycle (invalid documents) adds nothing.
  const memoized = <T>(cache: Map<string, T>, name: string, empty: T, build: (f: FragmentDefinitionNode) => T): T => {
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    const fragment = fragments.get(name);
    if (!fragment) return empty;
    cache.set(name, empty);
    const built = build(fragment);
    cache.set(name, built);
    return built;
  };

  return sitesOf(root);
}
