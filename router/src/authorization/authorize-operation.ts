import type { DocumentNode, GraphQLFormattedError, SelectionNode } from 'graphql';
import type { AccessPlan, OperationAccess, Site } from './analyze-operation';
import { filterOperation } from './filter-operation';
import { judge, type Grants, type Verdict } from './requirements';

export interface AuthorizationResult {
  /** The document to execute instead: null when nothing was removed (run the original) or nothing is left. */
  readonly document: DocumentNode | null;
  /** One error per removed selection, at its response path (aliases, no list indices). */
  readonly errors: readonly GraphQLFormattedError[];
  /** Every root selection was removed: answer `data: null` with `errors` without executing. */
  readonly nothingLeft: boolean;
}

export const UNAUTHORIZED_MESSAGE = 'Unauthorized field or type';
// Beyond this many errors the rest say nothing new (and a fragment spread many times could produce millions).
const MAX_ERRORS = 100;
// Per operation, the results for the last few distinct verdict combinations (callers fall into few classes).
const MAX_REMEMBERED_RESULTS = 8;

const ALLOWED: AuthorizationResult = { document: null, errors: [], nothingLeft: false };
const remembered = new WeakMap<AccessPlan, Map<string, AuthorizationResult>>();

/**
 * Applies an operation's requirements to one caller: removes the selections the caller may not
 * see and reports each as an error (UNAUTHENTICATED or FORBIDDEN). When everything is allowed it
 * only evaluates the operation's distinct requirements (no AST work). Never throws.
 */
export function authorizeOperation(access: OperationAccess, grants: Grants): AuthorizationResult {
  const plan = access.plan;
  if (!plan) return ALLOWED;
  const verdicts = plan.requirements.map((requirements) => judge(requirements, grants));
  if (verdicts.every((verdict) => verdict === 'allowed')) return ALLOWED;

  let results = remembered.get(plan);
  if (!results) remembered.set(plan, (results = new Map()));
  const key = verdicts.join(' ');
  let result = results.get(key);
  if (!result) {
    result = restrict(plan, verdicts);
    if (results.size >= MAX_REMEMBERED_RESULTS) results.clear();
    results.set(key, result);
  }
  return result;
}

function restrict(plan: AccessPlan, verdicts: readonly Verdict[]): AuthorizationResult {
  const removed = new Set<SelectionNode>();
  for (const [node, guard] of plan.guards) if (verdicts[guard] !== 'allowed') removed.add(node);
  const document = filterOperation(plan.operation, plan.fragments, removed);
  return { document, errors: unauthorizedErrors(plan.sites, verdicts), nothingLeft: document === null };
}

/**
 * Errors at the outermost removed selections only: what lies below them is gone with them. A
 * fragment's sites are walked once per path, so spreading one fragment many times at the same
 * place costs nothing more.
 */
function unauthorizedErrors(sites: readonly Site[], verdicts: readonly Verdict[]): GraphQLFormattedError[] {
  const errors = new Map<string, GraphQLFormattedError>();
  const walked = new Map<readonly Site[], Set<string>>();
  const failed = (guard: number) => verdicts[guard] !== 'allowed';
  const walk = (level: readonly Site[], path: readonly string[]) => {
    const pathKey = path.join('.'); // response keys are GraphQL names: no dots
    const paths = walked.get(level) ?? new Set();
    if (paths.has(pathKey)) return;
    walked.set(level, paths.add(pathKey));
    for (const site of level) {
      if (errors.size >= MAX_ERRORS) return;
      if (!site.guards.some(failed)) continue;
      const verdict = site.guard === undefined ? 'allowed' : verdicts[site.guard];
      if (verdict === 'allowed' || verdict === undefined) {
        walk(site.children, site.key === undefined ? path : [...path, site.key]);
        continue;
      }
      for (const key of site.removedKeys) {
        const error = { message: UNAUTHORIZED_MESSAGE, path: [...path, key], extensions: { code: verdict } };
        errors.set(JSON.stringify([error.path, verdict]), error);
      }
    }
  };
  walk(sites, []);
  return [...errors.values()].slice(0, MAX_ERRORS);
}
