/**
 * One batched `@policy` question per GraphQL operation: who asks (subject, partner client), for which
 * operation, and which policies the operation's fields require. Same shape as the OPA input the Rego in
 * deploy/opa/bundle/minishop/authz.rego reads.
 */
export interface PolicyInput {
  subject: PolicySubject;
  /** The partner client behind a partner subject; null for anonymous callers and users. */
  client: { id: string; manifest_id: string } | null;
  operation: { name: string | null; type: OperationType };
  policies: string[];
}

export interface PolicySubject {
  kind: SubjectKind;
  /** The user id or the partner client id; absent for anonymous callers. */
  id?: string;
  roles: string[];
  scopes: string[];
}

export type SubjectKind = 'anonymous' | 'user' | 'partner';
export type OperationType = 'query' | 'mutation' | 'subscription';

/** One boolean per requested policy: true allows the fields that require it. */
export type PolicyDecisions = Record<string, boolean>;

export interface PolicyDecisionPoint {
  decide(input: PolicyInput): Promise<PolicyDecisions>;
}
