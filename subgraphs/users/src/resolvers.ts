import type { Role } from '@minishop/db';
import { DateTimeScalar, requireViewer, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import type { PartnerClientService } from './partner-clients';
import { encodeUserCursor, type UserLoaders, type UserRow, type UserService } from './service';

export interface UsersContext extends BaseContext {
  users: UserService;
  partnerClients: PartnerClientService;
  loaders: UserLoaders;
}

/** register/login answer the account that just proved its credentials: its private fields are its own. */
type UserParent = UserRow & { signedIn?: true };

function asSignedIn<Payload extends { user: UserRow }>(payload: Payload) {
  return { ...payload, user: { ...payload.user, signedIn: true as const } };
}

export const resolvers: SubgraphResolvers<UsersContext> = {
  DateTime: DateTimeScalar,
  Role: { CUSTOMER: 'customer', ADMIN: 'admin', OPS: 'ops' },
  Query: {
    me: (_: unknown, __: unknown, ctx: UsersContext) => ctx.users.me(requireViewer(ctx)),
    user: (_: unknown, args: { id: string }, ctx: UsersContext) => ctx.loaders.user.load(args.id),
    users: async (
      _: unknown,
      args: { first: number; after?: string | null; role?: Role | null },
      ctx: UsersContext,
    ) => {
      const page = await ctx.users.list(ctx, args.first, args.after, args.role);
      const edges = page.rows.map((node) => ({ cursor: encodeUserCursor(node), node }));
      return {
        edges,
        totalCount: page.totalCount,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
    partnerClients: (_: unknown, __: unknown, ctx: UsersContext) => ctx.partnerClients.list(ctx),
    partnerClientByApiKey: (_: unknown, args: { apiKey: string }, ctx: UsersContext) =>
      ctx.partnerClients.byApiKey(ctx, args.apiKey),
  },
  Mutation: {
    register: async (
      _: unknown,
      args: { input: { email: string; name: string; password: string } },
      ctx: UsersContext,
    ) => asSignedIn(await ctx.users.register(args.input)),
    login: async (_: unknown, args: { email: string; password: string }, ctx: UsersContext) =>
      asSignedIn(await ctx.users.login(args.email, args.password)),
    updateProfile: (_: unknown, args: { input: Parameters<UserService['updateProfile']>[1] }, ctx: UsersContext) =>
      ctx.users.updateProfile(requireViewer(ctx), args.input),
    setUserRoles: (_: unknown, args: { userId: string; roles: Role[] }, ctx: UsersContext) =>
      ctx.users.setRoles(ctx, args.userId, args.roles),
    createPartnerClient: (_: unknown, args: { input: { name: string; manifestId: string } }, ctx: UsersContext) =>
      ctx.partnerClients.create(ctx, args.input),
    revokePartnerClient: (_: unknown, args: { id: string }, ctx: UsersContext) =>
      ctx.partnerClients.revoke(ctx, args.id),
  },
  User: {
    __resolveReference: (ref: { id: string }, ctx: UsersContext) => ctx.loaders.user.load(ref.id),
    memberSince: (user: UserRow) => user.createdAt,
    email: (user: UserParent, _: unknown, ctx: UsersContext) => {
      if (!user.signedIn) ctx.users.assertCanSeePrivate(ctx.viewer, user.id);
      return user.email;
    },
    roles: (user: UserParent, _: unknown, ctx: UsersContext) => {
      if (!user.signedIn) ctx.users.assertCanSeePrivate(ctx.viewer, user.id);
      return user.roles;
    },
  },
};
