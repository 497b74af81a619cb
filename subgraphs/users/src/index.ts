export { createUsersSubgraph } from './server';
