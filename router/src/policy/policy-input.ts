import type { Caller } from '../caller';
import type { PolicyInput } from './decision-point';

/**
 * The decision input for one operation. An anonymous caller's IP is left out: policies do not use it,
 * and keeping it would give every address its own cache entry.
 */
export function policyInputFor(
  caller: Caller,
  operation: PolicyInput['operation'],
  policies: Iterable<string>,
): PolicyInput {
  const requested = [...new Set(policies)].sort();
  switch (caller.kind) {
    case 'anonymous':
      return { subject: { kind: 'anonymous', roles: [], scopes: [] }, client: null, operation, policies: requested };
    case 'user':
      return {
        subject: { kind: 'user', id: caller.userId, roles: caller.roles, scopes: caller.scopes },
        client: null,
        operation,
        policies: requested,
      };
    case 'partner':
      return {
        subject: { kind: 'partner', id: caller.clientId, roles: [], scopes: [] },
        client: { id: caller.clientId, manifest_id: caller.manifestId },
        operation,
        policies: requested,
      };
  }
}
