export type {
  OperationType,
  PolicyDecisionPoint,
  PolicyDecisions,
  PolicyInput,
  PolicySubject,
  SubjectKind,
} from './decision-point';
export { DEFAULT_POLICY_DATA_FILE, readPolicyData, type PolicyData } from './policy-data';
export { embeddedDecisionPoint } from './embedded-decision-point';
export { opaDecisionPoint, type OpaDecisionPointOptions } from './opa-decision-point';
export { guardedDecisionPoint, type GuardedDecisionPointOptions } from './guarded-decision-point';
export { policyInputFor } from './policy-input';
