import { DateTimeScalar, requireViewer, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import { productReviews, type ReviewLoaders } from './loaders';
import type { ReviewRow } from './rows';
import type { ReviewService } from './service';
import type { CreateReviewInput, UpdateReviewInput } from './validation';

export interface ReviewsContext extends BaseContext {
  reviews: ReviewService;
  loaders: ReviewLoaders;
}

type Ref = { id: string };

export const resolvers: SubgraphResolvers<ReviewsContext> = {
  DateTime: DateTimeScalar,
  Mutation: {
    createReview: (_: unknown, args: { input: CreateReviewInput }, context: ReviewsContext) =>
      context.reviews.createReview(requireViewer(context), args.input),
    updateReview: (_: unknown, args: { id: string; input: UpdateReviewInput }, context: ReviewsContext) =>
      context.reviews.updateReview(requireViewer(context), args.id, args.input),
    deleteReview: (_: unknown, args: { id: string }, context: ReviewsContext) =>
      context.reviews.deleteReview(requireViewer(context), args.id),
  },
  Review: {
    __resolveReference: (ref: Ref, { loaders }: ReviewsContext) => loaders.review.load(ref.id),
    author: (review: ReviewRow) => ({ __typename: 'User', id: review.userId }),
    product: (review: ReviewRow) => ({ __typename: 'Product', id: review.productId }),
  },
  User: {
    reviews: (user: Ref, _: unknown, { loaders }: ReviewsContext) => loaders.byAuthor.load(user.id),
  },
  Product: {
    reviews: (product: Ref, args: { first: number; after?: string | null }, { loaders }: ReviewsContext) =>
      productReviews(loaders, product.id, args.first, args.after),
    rating: (product: Ref, _: unknown, { loaders }: ReviewsContext) => loaders.rating.load(product.id),
  },
};
