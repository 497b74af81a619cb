export { createReviewsSubgraph } from './server';
