export { createCartSubgraph, type CartSubgraphDeps } from './server';
