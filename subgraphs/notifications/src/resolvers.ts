import { DateTimeScalar, requireViewer, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import type { ListArgs, NotificationLoaders, NotificationService, PreferencesInput } from './service';

export interface NotificationsContext extends BaseContext {
  notifications: NotificationService;
  loaders: NotificationLoaders;
}

export const resolvers: SubgraphResolvers<NotificationsContext> = {
  DateTime: DateTimeScalar,
  Query: {
    myNotifications: (_: unknown, args: ListArgs, context: NotificationsContext) => {
      const viewer = requireViewer(context);
      return context.notifications.list(viewer, viewer.userId, args);
    },
    notificationPreferences: (_: unknown, __: unknown, context: NotificationsContext) =>
      context.notifications.preferences(requireViewer(context)),
  },
  Mutation: {
    markNotificationRead: (_: unknown, args: { id: string }, context: NotificationsContext) =>
      context.notifications.markRead(requireViewer(context), args.id),
    markAllRead: (_: unknown, __: unknown, context: NotificationsContext) =>
      context.notifications.markAllRead(requireViewer(context)),
    updateNotificationPreferences: (_: unknown, args: { input: PreferencesInput }, context: NotificationsContext) =>
      context.notifications.updatePreferences(requireViewer(context), args.input),
  },
  User: {
    notifications: (user: { id: string }, args: ListArgs, context: NotificationsContext) =>
      context.notifications.list(requireViewer(context), user.id, args),
  },
  Notification: {
    __resolveReference: (ref: { id: string }, { loaders }: NotificationsContext) => loaders.notification.load(ref.id),
    read: (notification: { readAt: Date | null }) => notification.readAt !== null,
  },
};
