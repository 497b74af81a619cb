export { readAccessIndex, requirementsAt, type AccessIndex } from './access-index';
export { analyzeOperation, type OperationAccess } from './analyze-operation';
export { authorizeOperation, UNAUTHORIZED_MESSAGE, type AuthorizationResult } from './authorize-operation';
export { grantsFor } from './grants-for';
export type { Alternatives, Grants, Requirements } from './requirements';
export { stripSecurityPurpose } from './strip-security-purpose';
