import type { PolicyDecisionPoint, PolicyDecisions, PolicyInput } from './decision-point';
import { parsePolicyData, readPolicyData, type PolicyCondition, type PolicyData } from './policy-data';

/**
 * Decides in process from the same policy data OPA serves, with the semantics of
 * deploy/opa/bundle/minishop/authz.rego (the shared decision table proves they agree): a policy allows
 * when ANY of its conditions holds, a condition holds when ALL of its keys hold, and anything unknown
 * (policy, condition key, empty condition) denies. Reads and validates the data file when called
 * without data; throws then, at start, when the data is invalid.
 */
export function embeddedDecisionPoint(data?: PolicyData): PolicyDecisionPoint {
  const checked = data === undefined ? readPolicyData() : parsePolicyData(data, 'the policy data passed in');
  return { decide: (input) => Promise.resolve(evaluatePolicies(checked, input)) };
}

function evaluatePolicies(data: PolicyData, input: PolicyInput): PolicyDecisions {
  return Object.fromEntries(input.policies.map((name) => [name, policyAllows(data, name, input)]));
}

function policyAllows(data: PolicyData, name: string, input: PolicyInput): boolean {
  const policy = own(data.policies, name);
  return policy?.allow_if_any.some((condition) => conditionHolds(condition, data, input)) ?? false;
}

function conditionHolds(condition: PolicyCondition, data: PolicyData, input: PolicyInput): boolean {
  const keys = Object.keys(condition);
  return keys.length > 0 && keys.every((key) => keyHolds(key, condition, data, input));
}

function keyHolds(key: string, condition: PolicyCondition, data: PolicyData, input: PolicyInput): boolean {
  const { subject, client, operation } = input;
  // Roles and scopes are user attributes: they never hold for anonymous callers or partners.
  const user = subject.kind === 'user';
  switch (key) {
    case 'subject_kind':
      return subject.kind === condition.subject_kind;
    case 'roles_any':
      return user && (condition.roles_any?.some((role) => subject.roles.includes(role)) ?? false);
    case 'scopes_all':
      return user && (condition.scopes_all?.every((scope) => subject.scopes.includes(scope)) ?? false);
    case 'partner_grant': {
      const grant = condition.partner_grant;
      const grants = subject.kind === 'partner' && client ? own(data.partner_grants, client.manifest_id) : undefined;
      return grant !== undefined && grants !== undefined && grants.includes(grant);
    }
    case 'operation_types':
      return condition.operation_types?.includes(operation.type) ?? false;
    default:
      return false;
  }
}

// Own properties only: a policy or manifest named "constructor" must not find Object.prototype's.
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
