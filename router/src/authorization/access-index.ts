import { Kind, parse, valueFromASTUntyped, type ConstDirectiveNode, type DefinitionNode } from 'graphql';
import { combine, hasRequirements, NO_REQUIREMENTS, type Alternatives, type Requirements } from './requirements';
import { findSecurityLinks, type SecurityFeature } from './security-links';

/** The supergraph's authorization requirements by schema coordinate: `Type` and `Type.field`. */
export interface AccessIndex {
  readonly byCoordinate: ReadonlyMap<string, Requirements>;
}

export function requirementsAt(index: AccessIndex, coordinate: string): Requirements {
  return index.byCoordinate.get(coordinate) ?? NO_REQUIREMENTS;
}

/**
 * Reads `@authenticated`, `@requiresScopes` and `@policy` from a supergraph SDL, under the names its
 * `@link`s give them. Runs once per supergraph (load and reload). Throws on an unparsable SDL, an
 * unsupported spec version or a malformed argument, so a supergraph that cannot be enforced is not served.
 */
export function readAccessIndex(supergraphSdl: string): AccessIndex {
  const document = parse(supergraphSdl);
  const features = new Map<string, SecurityFeature>(
    findSecurityLinks(document).map((link) => [link.directiveName, link.feature]),
  );
  const byCoordinate = new Map<string, Requirements>();
  const add = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    const requirements = readRequirements(coordinate, directives ?? [], features);
    if (hasRequirements(requirements)) {
      byCoordinate.set(coordinate, combine(byCoordinate.get(coordinate) ?? NO_REQUIREMENTS, requirements));
    }
  };
  if (features.size > 0) {
    for (const definition of document.definitions) {
      if (!isGuardableType(definition)) continue;
      const typeName = definition.name.value;
      add(typeName, definition.directives);
      if ('fields' in definition) {
        for (const field of definition.fields ?? []) add(`${typeName}.${field.name.value}`, field.directives);
      }
    }
  }
  return { byCoordinate };
}

type GuardableType = Extract<
  DefinitionNode,
  {
    kind:
      | Kind.OBJECT_TYPE_DEFINITION
      | Kind.OBJECT_TYPE_EXTENSION
      | Kind.INTERFACE_TYPE_DEFINITION
      | Kind.INTERFACE_TYPE_EXTENSION
      | Kind.SCALAR_TYPE_DEFINITION
      | Kind.SCALAR_TYPE_EXTENSION
      | Kind.ENUM_TYPE_DEFINITION
      | Kind.ENUM_TYPE_EXTENSION;
  }
>;

// The locations the three directives are defined on: OBJECT | FIELD_DEFINITION | INTERFACE | SCALAR | ENUM.
const GUARDABLE_KINDS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.SCALAR_TYPE_EXTENSION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.ENUM_TYPE_EXTENSION,
]);

function isGuardableType(definition: DefinitionNode): definition is GuardableType {
  return GUARDABLE_KINDS.has(definition.kind);
}

function readRequirements(
  coordinate: string,
  directives: readonly ConstDirectiveNode[],
  features: ReadonlyMap<string, SecurityFeature>,
): Requirements {
  let requirements = NO_REQUIREMENTS;
  for (const directive of directives) {
    const feature = features.get(directive.name.value);
    if (feature === 'authenticated') {
      requirements = combine(requirements, { ...NO_REQUIREMENTS, authenticated: true });
    } else if (feature === 'requiresScopes') {
      requirements = combine(requirements, {
        ...NO_REQUIREMENTS,
        scopes: [alternatives(coordinate, directive, 'scopes')],
      });
    } else if (feature === 'policy') {
      requirements = combine(requirements, {
        ...NO_REQUIREMENTS,
        policies: [alternatives(coordinate, directive, 'policies')],
      });
    }
  }
  return requirements;
}

function alternatives(coordinate: string, directive: ConstDirectiveNode, argumentName: string): Alternatives {
  const argument = directive.arguments?.find((candidate) => candidate.name.value === argumentName);
  const value: unknown = argument ? valueFromASTUntyped(argument.value) : undefined;
  const isListOfLists =
    Array.isArray(value) &&
    value.every((inner) => Array.isArray(inner) && inner.every((name) => typeof name === 'string'));
  if (!isListOfLists) {
    throw new Error(`${coordinate}: @${directive.name.value}(${argumentName}:) must be a list of lists of strings`);
  }
  return value as Alternatives;
}
