import { DateTimeScalar, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import type { NotificationLoaders } from './service';

export interface NotificationsContext extends BaseContext {
  loaders: NotificationLoaders;
}

export const resolvers: SubgraphResolvers<NotificationsContext> = {
  DateTime: DateTimeScalar,
  Notification: {
    __resolveReference: (ref: { id: string }, { loaders }: NotificationsContext) => loaders.notification.load(ref.id),
    read: (notification: { readAt: Date | null }) => notification.readAt !== null,
  },
};
