import {
  defaultFieldResolver,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { forbidden, unauthenticated } from './errors';
import type { Identity, Viewer } from './identity';

/** One access directive application: a signed-in user, scopes (OR of ANDs), or any router identity (@policy). */
type Requirement = { kind: 'authenticated' } | { kind: 'scopes'; anyOf: string[][] } | { kind: 'routed' };

interface GuardContext {
  identity: Identity | null;
  viewer: Viewer | null;
}

function requirementOf(directive: ConstDirectiveNode): Requirement | null {
  switch (directive.name.value) {
    case 'authenticated':
      return { kind: 'authenticated' };
    case 'requiresScopes': {
      const argument = directive.arguments?.find((arg) => arg.name.value === 'scopes');
      const anyOf = argument ? valueFromASTUntyped(argument.value) : [];
      return { kind: 'scopes', anyOf: Array.isArray(anyOf) ? (anyOf as string[][]) : [] };
    }
    case 'policy':
      // The router asked OPA; here it is enough that the request carries the router's identity token.
      return { kind: 'routed' };
    default:
      return null;
  }
}

function requirementsOf(nodes: readonly ({ directives?: readonly ConstDirectiveNode[] } | null | undefined)[]) {
  return nodes.flatMap((node) => (node?.directives ?? []).map(requirementOf)).filter((r) => r !== null);
}

function check(requirement: Requirement, context: GuardContext): void {
  if (requirement.kind === 'routed') {
    if (!context.identity) throw unauthenticated('This field is only served through the router');
    return;
  }
  if (!context.viewer) throw unauthenticated();
  if (requirement.kind === 'scopes') {
    const scopes = context.viewer.scopes;
    if (!requirement.anyOf.some((all) => all.every((scope) => scopes.includes(scope)))) {
      throw forbidden(`Requires scopes ${requirement.anyOf.map((all) => all.join(' and ')).join(' or ')}`);
    }
  }
}

/**
 * Enforces `@authenticated`, `@requiresScopes` and `@policy` of the subgraph's own SDL on every
 * field they cover (field or its object type), in the subgraph itself: the router enforces them
 * for clients, this stops a request that reached the subgraph some other way. Resolvers are
 * wrapped in place; unguarded fields keep their resolver untouched.
 */
export function guardAccessDirectives(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRequirements = requirementsOf([type.astNode, ...type.extensionASTNodes]);
    for (const field of Object.values(type.getFields())) {
      const requirements = [...typeRequirements, ...requirementsOf([field.astNode])];
      if (requirements.length === 0) continue;
      const resolve: GraphQLFieldResolver<unknown, GuardContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: GuardContext, info) => {
        for (const requirement of requirements) check(requirement, context);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
