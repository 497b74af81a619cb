import type { PrismaClient } from '@minishop/db';
import { createByIdLoader } from '@minishop/runtime';

export interface PublicProfile {
  id: string;
  name: string;
  createdAt: Date;
}

/** Users domain rules and data access (Postgres schema `users`). */
export class UserService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Public profiles of the given users (never email, roles or password hash). */
  findProfiles(ids: string[]): Promise<PublicProfile[]> {
    return this.prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, createdAt: true } });
  }

  /** Per-request loaders, so N references in one request cost one query. */
  createLoaders() {
    return { profile: createByIdLoader((ids) => this.findProfiles(ids)) };
  }
}

export type UserLoaders = ReturnType<UserService['createLoaders']>;
