import { Prisma, Role, type PrismaClient } from '@minishop/db';
import {
  badUserInput,
  checkPageSize,
  conflict,
  createByIdLoader,
  forbidden,
  isUuid,
  notFound,
  requireScopes,
  unauthenticated,
  type Viewer,
} from '@minishop/runtime';
import { hashPassword, verifyPassword } from './password';
import type { IssuedToken, TokenIssuer } from './tokens';
import { normalizeEmail, validateName, validatePassword } from './validation';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  createdAt: Date;
}

const USER_COLUMNS = { id: true, email: true, name: true, roles: true, createdAt: true } as const;

export interface UserPage {
  rows: UserRow[];
  hasNextPage: boolean;
  totalCount: number;
}

const INVALID_LOGIN = 'Invalid email or password';

/** Accounts, credentials and roles (Postgres schema `users`). */
export class UserService {
  /** Hashed once at start: login verifies against it when the email is unknown, so timing reveals nothing. */
  private readonly decoyHash: Promise<string>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly tokens: TokenIssuer,
  ) {
    this.decoyHash = hashPassword('decoy password that never matches');
  }

  async register(input: { email: string; name: string; password: string }): Promise<IssuedToken & { user: UserRow }> {
    const email = normalizeEmail(input.email);
    const name = validateName(input.name);
    const passwordHash = await hashPassword(validatePassword(input.password));
    try {
      const user = await this.prisma.user.create({ data: { email, name, passwordHash }, select: USER_COLUMNS });
      return { ...(await this.tokens.issue(user)), user };
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw conflict('An account with this email already exists');
      }
      throw error;
    }
  }

  /** Same error and the same scrypt cost whether the email is unknown or the password wrong. */
  async login(emailInput: string, password: string): Promise<IssuedToken & { user: UserRow }> {
    const email = emailInput.trim().toLowerCase();
    const user = await this.prisma.user.findUnique({
      where: { email },
      select: { ...USER_COLUMNS, passwordHash: true },
    });
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.decoyHash));
    if (!user || !matches) throw unauthenticated(INVALID_LOGIN);
    const { passwordHash: _hash, ...row } = user;
    return { ...(await this.tokens.issue(row)), user: row };
  }

  async me(viewer: Viewer): Promise<UserRow> {
    const user = await this.prisma.user.findUnique({ where: { id: viewer.userId }, select: USER_COLUMNS });
    if (!user) throw unauthenticated('This account no longer exists');
    return user;
  }

  async updateProfile(
    viewer: Viewer,
    input: { name?: string | null; currentPassword?: string | null; newPassword?: string | null },
  ): Promise<UserRow> {
    const data: Prisma.UserUpdateInput = {};
    if (input.name != null) data.name = validateName(input.name);
    if (input.newPassword != null) {
      validatePassword(input.newPassword, 'newPassword');
      const current = await this.prisma.user.findUnique({
        where: { id: viewer.userId },
        select: { passwordHash: true },
      });
      if (!current) throw unauthenticated('This account no longer exists');
      if (!input.currentPassword || !(await verifyPassword(input.currentPassword, current.passwordHash))) {
        throw badUserInput('Current password is wrong', { field: 'currentPassword' });
      }
      data.passwordHash = await hashPassword(input.newPassword);
    }
    if (Object.keys(data).length === 0) throw badUserInput('Nothing to update', { field: 'input' });
    return this.prisma.user.update({ where: { id: viewer.userId }, data, select: USER_COLUMNS });
  }

  /** Users ordered by email, paged by cursor (users:manage). */
  async list(
    context: { viewer: Viewer | null },
    first: number,
    after?: string | null,
    role?: Role | null,
  ): Promise<UserPage> {
    requireScopes(context, 'users:manage');
    checkPageSize(first);
    const where: Prisma.UserWhereInput = role ? { roles: { has: role } } : {};
    const [rows, totalCount] = await Promise.all([
      this.prisma.user.findMany({
        where: after ? { ...where, email: { gt: decodeUserCursor(after) } } : where,
        orderBy: { email: 'asc' },
        take: first + 1,
        select: USER_COLUMNS,
      }),
      this.prisma.user.count({ where }),
    ]);
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
  }

  /** Replaces a user's roles (users:manage). An admin cannot drop their own admin role: no lock-out. */
  async setRoles(context: { viewer: Viewer | null }, userId: string, roles: Role[]): Promise<UserRow> {
    const viewer = requireScopes(context, 'users:manage');
    const unique = [...new Set(roles)];
    if (unique.length === 0) throw badUserInput('A user needs at least one role', { field: 'roles' });
    if (userId === viewer.userId && !unique.includes(Role.admin)) {
      throw badUserInput('You cannot remove your own admin role', { field: 'roles' });
    }
    if (!isUuid(userId)) throw notFound('No such user');
    try {
      return await this.prisma.user.update({ where: { id: userId }, data: { roles: unique }, select: USER_COLUMNS });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025')
        throw notFound('No such user');
      throw error;
    }
  }

  /** Email and roles are private: visible to the user themself and to users:manage holders. */
  assertCanSeePrivate(viewer: Viewer | null, userId: string): void {
    if (!viewer) throw unauthenticated();
    if (viewer.userId !== userId && !viewer.scopes.includes('users:manage'))
      throw forbidden('Only the user or an admin can see this');
  }

  /** Per-request loaders, so N references in one request cost one query. */
  loadersFor() {
    return {
      user: createByIdLoader((ids) => this.prisma.user.findMany({ where: { id: { in: ids } }, select: USER_COLUMNS })),
    };
  }
}

export type UserLoaders = ReturnType<UserService['loadersFor']>;

export function encodeUserCursor(user: Pick<UserRow, 'email'>): string {
  return Buffer.from(user.email).toString('base64url');
}

function decodeUserCursor(cursor: string): string {
  const email = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!email.includes('@')) throw badUserInput('`after` is not a cursor returned by this API', { field: 'after' });
  return email;
}
