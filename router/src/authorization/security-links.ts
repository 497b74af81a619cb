import { Kind, valueFromASTUntyped, type DirectiveNode, type DocumentNode } from 'graphql';

/** The authorization features a supergraph can link, by the name of their spec (and of their one directive). */
export const SECURITY_FEATURES = ['authenticated', 'requiresScopes', 'policy'] as const;
export type SecurityFeature = (typeof SECURITY_FEATURES)[number];

const SPECS_ORIGIN = 'https://specs.apollo.dev/';
const SUPPORTED_VERSION = 'v0.1';

/** A supergraph `@link` to one of the authorization specs. */
export interface SecurityLink {
  readonly feature: SecurityFeature;
  /** The directive's name in this schema (without `@`), honouring the link's `as` and `import` renames. */
  readonly directiveName: string;
  readonly node: DirectiveNode;
}

/**
 * Finds the `@link`s to the authorization specs on the supergraph's schema definition. Throws on a
 * version this router does not know: enforcing directives it may misread would be unsafe.
 */
export function findSecurityLinks(document: DocumentNode): SecurityLink[] {
  const directives = document.definitions.flatMap((definition) =>
    definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION
      ? (definition.directives ?? [])
      : [],
  );
  const linkName = linkDirectiveName(directives);
  const links: SecurityLink[] = [];
  for (const node of directives) {
    if (node.name.value !== linkName) continue;
    const url = stringArgument(node, 'url');
    const feature = SECURITY_FEATURES.find((name) => url?.startsWith(`${SPECS_ORIGIN}${name}/`));
    if (!feature || !url) continue;
    if (url !== `${SPECS_ORIGIN}${feature}/${SUPPORTED_VERSION}`) {
      throw new Error(`unsupported authorization spec ${url} (this router enforces ${feature}/${SUPPORTED_VERSION})`);
    }
    links.push({ feature, directiveName: importedName(node, feature), node });
  }
  return links;
}

// The link spec can itself be renamed (`@link(url: ".../link/v1.0", as: "mylink")`).
function linkDirectiveName(directives: readonly DirectiveNode[]): string {
  for (const node of directives) {
    if (stringArgument(node, 'url')?.startsWith(`${SPECS_ORIGIN}link/`)) return stringArgument(node, 'as') ?? 'link';
  }
  return 'link';
}

// Link spec naming: an imported directive takes its `as` (or own) name; otherwise the directive named
// like its feature is addressed by the link's namespace (`as`, defaulting to the feature name).
function importedName(link: DirectiveNode, feature: SecurityFeature): string {
  const imports = argumentValue(link, 'import');
  for (const entry of Array.isArray(imports) ? imports : []) {
    if (entry === `@${feature}`) return feature;
    if (isImportObject(entry) && entry.name === `@${feature}`) return (entry.as ?? entry.name).replace(/^@/, '');
  }
  return stringArgument(link, 'as') ?? feature;
}

function isImportObject(entry: unknown): entry is { name: string; as?: string } {
  if (typeof entry !== 'object' || entry === null || !('name' in entry) || typeof entry.name !== 'string') return false;
  return !('as' in entry) || typeof entry.as === 'string';
}

function argumentValue(node: DirectiveNode, name: string): unknown {
  const argument = node.arguments?.find((candidate) => candidate.name.value === name);
  return argument ? valueFromASTUntyped(argument.value) : undefined;
}

function stringArgument(node: DirectiveNode, name: string): string | undefined {
  const value = argumentValue(node, name);
  return typeof value === 'string' ? value : undefined;
}
