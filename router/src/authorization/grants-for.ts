import type { Caller } from '../caller';
import type { Grants } from './requirements';

const NO_SCOPES: ReadonlySet<string> = new Set();

/**
 * The grants of a caller: only a signed-in user is authenticated and has scopes; a partner client
 * is neither (it is not a user); `policies` are the decision point's answers for this request.
 */
export function grantsFor(caller: Caller, policies: Readonly<Record<string, boolean>> = {}): Grants {
  return {
    authenticated: caller.kind === 'user',
    anonymous: caller.kind === 'anonymous',
    scopes: caller.kind === 'user' ? new Set(caller.scopes) : NO_SCOPES,
    policies,
  };
}
