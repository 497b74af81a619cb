export { createCouponsSubgraph } from './server';
