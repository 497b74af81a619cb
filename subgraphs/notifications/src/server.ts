import path from 'node:path';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { loadTypeDefs, type SubgraphDefinition } from '@minishop/runtime';
import { resolvers, type NotificationsContext } from './resolvers';
import { NotificationService } from './service';

/** The notifications subgraph: in-app messages to users. */
export function createNotificationsSubgraph(deps: { prisma: PrismaClient }): SubgraphDefinition<NotificationsContext> {
  const notifications = new NotificationService(deps.prisma);
  return {
    name: 'notifications',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, notifications, loaders: notifications.createLoaders(base.viewer) }),
    ready: () => pingDatabase(deps.prisma),
  };
}
