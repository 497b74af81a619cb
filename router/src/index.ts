export { startRouter, type RunningRouter } from './server';
export { readRouterConfig, type RouterConfig } from './config';
