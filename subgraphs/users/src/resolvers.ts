import { DateTimeScalar, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import type { PublicProfile, UserLoaders } from './service';

export interface UsersContext extends BaseContext {
  loaders: UserLoaders;
}

export const resolvers: SubgraphResolvers<UsersContext> = {
  DateTime: DateTimeScalar,
  Query: {
    user: (_: unknown, args: { id: string }, { loaders }: UsersContext) => loaders.profile.load(args.id),
  },
  User: {
    __resolveReference: (ref: { id: string }, { loaders }: UsersContext) => loaders.profile.load(ref.id),
    memberSince: (user: PublicProfile) => user.createdAt,
  },
};
