import { visit, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

/**
 * The fragment definitions an operation spreads, directly or through other fragments, in the order
 * first reached. `fragmentNamed` resolves a name (null: unknown or dropped, not followed).
 */
export function usedFragments(
  operation: OperationDefinitionNode,
  fragmentNamed: (name: string) => FragmentDefinitionNode | null | undefined,
): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  for (let definition = pending.shift(); definition; definition = pending.shift()) {
    visit(definition, {
      FragmentSpread(spread) {
        const fragment = fragmentNamed(spread.name.value);
        if (fragment && !used.has(spread.name.value)) {
          used.set(spread.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...used.values()];
}
