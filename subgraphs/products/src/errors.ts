import { DomainError, ErrorCode, notFound } from '@minishop/runtime';

export const productNotFound = (id: string) => notFound(`Product ${id} not found`);

/** CONFLICT about one product, which `extensions.productId` names for the caller. */
export const productConflict = (productId: string, message: string, extensions: Record<string, unknown> = {}) =>
  new DomainError(ErrorCode.Conflict, message, { ...extensions, productId });
