import type { Prisma, PrismaClient } from '@minishop/db';
import {
  checkPageSize,
  createByIdLoader,
  decodeTimeCursor,
  encodeTimeCursor,
  forbidden,
  isUuid,
  notFound,
  type Viewer,
} from '@minishop/runtime';

export interface NotificationRow {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  readAt: Date | null;
  createdAt: Date;
}

export interface ListArgs {
  first: number;
  after?: string | null;
  unreadOnly: boolean;
}

export interface PreferencesInput {
  email?: boolean | null;
  sms?: boolean | null;
}

/** Channels when the user never chose: email on, SMS off. */
const DEFAULT_PREFERENCES = { email: true, sms: false };

/** Notifications rules and data access (Postgres schema `notifications`). Everything is owner-only. */
export class NotificationService {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * A page of `userId`'s notifications, newest first. Only the user themself may list them:
   * FORBIDDEN for anyone else. The counts are resolved lazily, only when selected.
   */
  async list(viewer: Viewer, userId: string, args: ListArgs) {
    if (viewer.userId !== userId) throw forbidden('Notifications are only visible to their owner');
    const first = checkPageSize(args.first);
    const after = args.after ? decodeTimeCursor(args.after) : null;
    const where: Prisma.NotificationWhereInput = { userId, ...(args.unreadOnly ? { readAt: null } : {}) };
    const rows = await this.prisma.notification.findMany({
      where: after
        ? { ...where, OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] }
        : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
    });
    const edges = rows
      .slice(0, first)
      .map((node) => ({ cursor: encodeTimeCursor({ at: node.createdAt, id: node.id }), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: () => this.prisma.notification.count({ where }),
      unreadCount: () => this.prisma.notification.count({ where: { userId, readAt: null } }),
    };
  }

  /** Idempotent: the first read time is kept. NOT_FOUND for ids the viewer does not own, so ids cannot be probed. */
  async markRead(viewer: Viewer, id: string): Promise<NotificationRow> {
    if (!isUuid(id)) throw notFound('No notification with this id');
    await this.prisma.notification.updateMany({
      where: { id, userId: viewer.userId, readAt: null },
      data: { readAt: new Date() },
    });
    const notification = await this.prisma.notification.findFirst({ where: { id, userId: viewer.userId } });
    if (!notification) throw notFound('No notification with this id');
    return notification;
  }

  /** Marks every unread notification of the viewer read; returns how many changed. */
  async markAllRead(viewer: Viewer): Promise<number> {
    const { count } = await this.prisma.notification.updateMany({
      where: { userId: viewer.userId, readAt: null },
      data: { readAt: new Date() },
    });
    return count;
  }

  async preferences(viewer: Viewer): Promise<{ email: boolean; sms: boolean }> {
    const row = await this.prisma.notificationPreference.findUnique({ where: { userId: viewer.userId } });
    return row ? { email: row.email, sms: row.sms } : DEFAULT_PREFERENCES;
  }

  /** Upserts the given channels; the others keep their current (or default) value. */
  async updatePreferences(viewer: Viewer, input: PreferencesInput): Promise<{ email: boolean; sms: boolean }> {
    const changes = {
      ...(input.email != null ? { email: input.email } : {}),
      ...(input.sms != null ? { sms: input.sms } : {}),
    };
    const row = await this.prisma.notificationPreference.upsert({
      where: { userId: viewer.userId },
      create: { userId: viewer.userId, ...DEFAULT_PREFERENCES, ...changes },
      update: changes,
    });
    return { email: row.email, sms: row.sms };
  }

  /** Per-request loaders; references resolve only to the viewer's own notifications (null otherwise). */
  createLoaders(viewer: Viewer | null) {
    return {
      notification: createByIdLoader<NotificationRow>((ids) =>
        viewer
          ? this.prisma.notification.findMany({ where: { id: { in: ids }, userId: viewer.userId } })
          : Promise.resolve([]),
      ),
    };
  }
}

export type NotificationLoaders = ReturnType<NotificationService['createLoaders']>;
