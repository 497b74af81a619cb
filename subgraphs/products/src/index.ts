export { createProductsSubgraph } from './server';
