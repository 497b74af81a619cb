import { badUserInput } from '@minishop/runtime';

export interface CreateReviewInput {
  productId: string;
  rating: number;
  title: string;
  body: string;
}

export interface UpdateReviewInput {
  rating?: number | null;
  title?: string | null;
  body?: string | null;
}

/** What a write stores, trimmed and checked. */
export interface ReviewFields {
  rating: number;
  title: string;
  body: string;
}

const LIMITS = { title: 200, body: 5000 } as const;

export function checkRating(rating: number): number {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
    throw badUserInput('`rating` must be a whole number from 1 to 5', { field: 'rating' });
  }
  return rating;
}

/** Trims `value` and checks it is 1..limit characters long. */
export function checkText(field: keyof typeof LIMITS, value: string): string {
  const text = value.trim();
  if (text.length < 1 || text.length > LIMITS[field]) {
    throw badUserInput(`\`${field}\` must be 1 to ${LIMITS[field]} characters`, { field });
  }
  return text;
}

export function checkCreateInput(input: CreateReviewInput): ReviewFields {
  return {
    rating: checkRating(input.rating),
    title: checkText('title', input.title),
    body: checkText('body', input.body),
  };
}

/** The given fields of an update, checked; null and omitted fields are left out. */
export function checkUpdateInput(input: UpdateReviewInput): Partial<ReviewFields> {
  return {
    ...(input.rating != null ? { rating: checkRating(input.rating) } : {}),
    ...(input.title != null ? { title: checkText('title', input.title) } : {}),
    ...(input.body != null ? { body: checkText('body', input.body) } : {}),
  };
}
