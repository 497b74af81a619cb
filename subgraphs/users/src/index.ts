export { usersConfigFields } from './config';
export { createUsersSubgraph } from './server';
export { TokenIssuer } from './tokens';
