import type { PrismaClient } from '@minishop/db';
import { createByIdLoader } from '@minishop/runtime';

/** Notifications rules and data access (Postgres schema `notifications`). */
export class NotificationService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Per-request loaders, so N references in one request cost one query. */
  createLoaders() {
    return {
      notification: createByIdLoader((ids) => this.prisma.notification.findMany({ where: { id: { in: ids } } })),
    };
  }
}

export type NotificationLoaders = ReturnType<NotificationService['createLoaders']>;
