export { usersConfigShape } from './config';
export { createUsersSubgraph } from './server';
export { scopesFor } from './roles';
export { TokenIssuer } from './tokens';
