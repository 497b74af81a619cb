export { checkShapeLimits } from './check-shape-limits';
export { checkCost, estimateCost } from './estimate-cost';
export {
  DEFAULT_OPERATION_LIMITS,
  LimitCode,
  LimitError,
  readOperationLimits,
  type OperationLimits,
} from './operation-limits';
export { parseWithinLimits } from './parse-within-limits';
export {
  createRateLimiter,
  DEFAULT_RATE_LIMITS,
  readRateLimits,
  type RateLimitBucket,
  type RateLimitDecision,
  type RateLimiter,
} from './rate-limit';
