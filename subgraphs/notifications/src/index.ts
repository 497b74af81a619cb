export { createNotificationsSubgraph } from './server';
