export { createCartSubgraph } from './server';
