import { ErrorCode } from '@minishop/runtime';

/** One `scopes:`/`policies:` argument: the caller needs every name of at least one inner list (outer OR, inner AND). */
export type Alternatives = readonly (readonly string[])[];

/**
 * What a schema element (or a selection, combining several elements) asks of the caller. Each
 * `scopes`/`policies` entry comes from one directive application; every entry must hold.
 */
export interface Requirements {
  readonly authenticated: boolean;
  readonly scopes: readonly Alternatives[];
  readonly policies: readonly Alternatives[];
}

/** What the caller has, established per request from its identity and the policy decisions. */
export interface Grants {
  /** A signed-in user with a valid token. Partner clients are not users, so not authenticated here. */
  readonly authenticated: boolean;
  /** No credentials at all: failures that signing in could fix answer UNAUTHENTICATED instead of FORBIDDEN. */
  readonly anonymous: boolean;
  readonly scopes: ReadonlySet<string>;
  /** Policy decisions by name; a missing or non-true decision denies. */
  readonly policies: Readonly<Record<string, boolean>>;
}

export type Verdict = 'allowed' | typeof ErrorCode.Unauthenticated | typeof ErrorCode.Forbidden;

export const NO_REQUIREMENTS: Requirements = { authenticated: false, scopes: [], policies: [] };

export function hasRequirements(requirements: Requirements): boolean {
  return requirements.authenticated || requirements.scopes.length > 0 || requirements.policies.length > 0;
}

/** Both sets of requirements at once (AND); an entry already present is not repeated. */
export function combine(a: Requirements, b: Requirements): Requirements {
  if (!hasRequirements(b)) return a;
  if (!hasRequirements(a)) return b;
  return {
    authenticated: a.authenticated || b.authenticated,
    scopes: union(a.scopes, b.scopes),
    policies: union(a.policies, b.policies),
  };
}

function union(a: readonly Alternatives[], b: readonly Alternatives[]): readonly Alternatives[] {
  const present = new Set(a.map((entry) => JSON.stringify(entry)));
  const added = b.filter((entry) => !present.has(JSON.stringify(entry)));
  return added.length === 0 ? a : [...a, ...added];
}

/** A stable identity for de-duplicating equal requirements. */
export function requirementsKey(requirements: Requirements): string {
  return JSON.stringify([requirements.authenticated, requirements.scopes, requirements.policies]);
}

export function policyNames(requirements: Requirements): string[] {
  return requirements.policies.flatMap((alternatives) => alternatives.flat());
}

// An empty outer list has no alternative to satisfy, so it denies.
const satisfies = (alternatives: Alternatives, granted: (name: string) => boolean) =>
  alternatives.some((all) => all.every(granted));

/**
 * Whether the grants meet the requirements and, when not, the code to answer with: UNAUTHENTICATED
 * when an anonymous caller misses authentication or scopes (only signed-in users carry scopes),
 * FORBIDDEN otherwise.
 */
export function judge(requirements: Requirements, grants: Grants): Verdict {
  const authenticated = !requirements.authenticated || grants.authenticated;
  const scoped = requirements.scopes.every((alternatives) => satisfies(alternatives, (s) => grants.scopes.has(s)));
  const permitted = requirements.policies.every((alternatives) =>
    satisfies(alternatives, (p) => grants.policies[p] === true),
  );
  if (authenticated && scoped && permitted) return 'allowed';
  return grants.anonymous && (!authenticated || !scoped) ? ErrorCode.Unauthenticated : ErrorCode.Forbidden;
}
