import {
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { usedFragments } from './used-fragments';

/**
 * The operation without the `removed` selections, as a document that still validates: a field or
 * fragment whose selections all went is removed too, and so are fragment definitions and variable
 * definitions nothing uses any more (other operations of the document are dropped). Null when no
 * selection is left to execute. Unchanged subtrees are shared with the original document.
 */
export function filterOperation(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  removed: ReadonlySet<SelectionNode>,
): DocumentNode | null {
  const filteredFragments = new Map<string, FragmentDefinitionNode | null>();

  const filterSelectionSet = (selectionSet: SelectionSetNode): SelectionSetNode | null => {
    const selections = selectionSet.selections.flatMap((selection) => filterSelection(selection) ?? []);
    if (selections.length === 0) return null;
    const changed =
      selections.length !== selectionSet.selections.length ||
      selections.some((selection, i) => selection !== selectionSet.selections[i]);
    return changed ? { ...selectionSet, selections } : selectionSet;
  };

  const filterSelection = (selection: SelectionNode): SelectionNode | null => {
    if (removed.has(selection)) return null;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      // A spread of an unknown fragment stays for validation to reject.
      return filterFragment(selection.name.value) || !fragments.has(selection.name.value) ? selection : null;
    }
    if (!selection.selectionSet) return selection;
    const selectionSet = filterSelectionSet(selection.selectionSet);
    if (!selectionSet) return null;
    return selectionSet === selection.selectionSet ? selection : { ...selection, selectionSet };
  };

  // Filtered once per fragment, whatever the number of spreads. Within a cycle (which validation
  // rejects) a fragment still being filtered counts as kept.
  const filterFragment = (name: string): FragmentDefinitionNode | null => {
    const known = filteredFragments.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment) return null;
    filteredFragments.set(name, fragment);
    const selectionSet = filterSelectionSet(fragment.selectionSet);
    let filtered: FragmentDefinitionNode | null = null;
    if (selectionSet) filtered = selectionSet === fragment.selectionSet ? fragment : { ...fragment, selectionSet };
    filteredFragments.set(name, filtered);
    return filtered;
  };

  const selectionSet = filterSelectionSet(operation.selectionSet);
  if (!selectionSet) return null;
  const kept = { ...operation, selectionSet };
  const fragmentsLeft = usedFragments(kept, filterFragment);
  const usedVariables = variableNames([kept, ...fragmentsLeft]);
  const variableDefinitions = operation.variableDefinitions?.filter((definition) =>
    usedVariables.has(definition.variable.name.value),
  );
  return { kind: Kind.DOCUMENT, definitions: [{ ...kept, variableDefinitions }, ...fragmentsLeft] };
}

function variableNames(nodes: readonly ASTNode[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    visit(node, {
      VariableDefinition: () => false, // declares a variable, does not use it
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  }
  return names;
}
