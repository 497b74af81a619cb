import { callSubgraph, type CallerRequest } from '@minishop/runtime';
import { z } from 'zod';

/** What the cart needs to know about a product; the products subgraph owns these facts. */
export interface ProductFacts {
  id: string;
  name: string;
  /** ACTIVE products can be added; ARCHIVED ones stay in carts until removed. */
  status: string;
  /** Units that can still be bought. */
  available: number;
  price: { amount: number; currency: string };
}

/** Who is asking: the caller's credentials are forwarded, failures are logged with the request's logger. */
export type CatalogRequest = CallerRequest;

const PRODUCTS_QUERY = `query CartProducts($r: [_Any!]!) {
  _entities(representations: $r) { ... on Product { id name status available price { amount currency } } }
}`;

const productFacts = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  available: z.number().int(),
  price: z.object({ amount: z.number().int(), currency: z.string() }),
});
const entitiesData = z.object({ _entities: z.array(productFacts.nullable()) });

export const DEFAULT_CATALOG_TIMEOUT_MS = 2_000;

/**
 * Reads product facts from the products subgraph over HTTP with the federation `_entities` query,
 * one request per call. The cart never reads the products database itself.
 */
export class ProductCatalog {
  constructor(private readonly options: { url: string; timeoutMs?: number }) {}

  /**
   * The products among `ids` that exist (unknown ids are left out). Throws SERVICE_UNAVAILABLE
   * when the products subgraph fails or does not answer within the timeout.
   */
  async findProducts(ids: readonly string[], request: CatalogRequest): Promise<ProductFacts[]> {
    if (ids.length === 0) return [];
    // Any error (even on one entity) fails the call: a null entity must mean "no such product", not "failed".
    const data = await callSubgraph(
      {
        name: 'product catalog',
        url: this.options.url,
        timeoutMs: this.options.timeoutMs ?? DEFAULT_CATALOG_TIMEOUT_MS,
      },
      request,
      { query: PRODUCTS_QUERY, variables: { r: ids.map((id) => ({ __typename: 'Product', id })) }, data: entitiesData },
    );
    return data._entities.filter((product): product is ProductFacts => product !== null);
  }
}
