export { createOrdersSubgraph } from './server';
