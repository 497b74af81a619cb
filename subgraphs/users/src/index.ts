export { usersConfigFields } from './config';
export { createUsersSubgraph, JWKS_PATH } from './server';
export { TokenIssuer } from './tokens';
