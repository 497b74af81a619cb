import { DateTimeScalar, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import type { ReviewLoaders, ReviewRow } from './service';

export interface ReviewsContext extends BaseContext {
  loaders: ReviewLoaders;
}

type Ref = { id: string };

export const resolvers: SubgraphResolvers<ReviewsContext> = {
  DateTime: DateTimeScalar,
  Review: {
    __resolveReference: (ref: Ref, { loaders }: ReviewsContext) => loaders.review.load(ref.id),
    author: (review: ReviewRow) => ({ __typename: 'User', id: review.userId }),
    product: (review: ReviewRow) => ({ __typename: 'Product', id: review.productId }),
  },
  User: {
    reviews: (user: Ref, _: unknown, { loaders }: ReviewsContext) => loaders.byAuthor.load(user.id),
  },
  Product: {
    reviews: (product: Ref, _: unknown, { loaders }: ReviewsContext) => loaders.byProduct.load(product.id),
    rating: (product: Ref, _: unknown, { loaders }: ReviewsContext) => loaders.rating.load(product.id),
  },
};
