import { callSubgraph, type CallerRequest, type SubgraphClientOptions } from '@minishop/runtime';
import { z } from 'zod';

/** A product and quantity of an order. */
export interface OrderLine {
  productId: string;
  quantity: number;
}

/** What an order needs to know about a product when it is placed. */
export interface ProductPrice {
  id: string;
  status: string;
  price: { amount: number; currency: string };
}

const productPrice = z.object({
  id: z.string(),
  status: z.string(),
  price: z.object({ amount: z.number().int(), currency: z.string() }),
});

/**
 * The products subgraph, over HTTP: current prices and the stock of orders (reserve when placed,
 * release when cancelled, commit when shipped). Every call forwards the caller's token.
 */
export class ProductsClient {
  private readonly options: SubgraphClientOptions;

  constructor(options: { url: string; timeoutMs?: number }) {
    this.options = { name: 'products service', ...options };
  }

  /** The products among `ids` that exist, with their current price and status. */
  async findProducts(ids: readonly string[], request: CallerRequest): Promise<ProductPrice[]> {
    const data = await callSubgraph(this.options, request, {
      query: `query OrderProducts($r: [_Any!]!) {
        _entities(representations: $r) { ... on Product { id status price { amount currency } } }
      }`,
      variables: { r: ids.map((id) => ({ __typename: 'Product', id })) },
      data: z.object({ _entities: z.array(productPrice.nullable()) }),
    });
    return data._entities.filter((product): product is ProductPrice => product !== null);
  }

  /** Holds stock for every line of the order, all or nothing (idempotent per order id). */
  async reserveStock(orderId: string, lines: readonly OrderLine[], request: CallerRequest): Promise<void> {
    await callSubgraph(this.options, request, {
      query: `mutation Reserve($orderId: ID!, $lines: [StockLineInput!]!) {
        reserveStock(orderId: $orderId, lines: $lines) { orderId }
      }`,
      variables: { orderId, lines: lines.map(({ productId, quantity }) => ({ productId, quantity })) },
      data: z.object({ reserveStock: z.object({ orderId: z.string() }) }),
    });
  }

  /** Gives back every unit held for the order (idempotent). */
  async releaseStock(orderId: string, request: CallerRequest): Promise<void> {
    await callSubgraph(this.options, request, {
      query: 'mutation Release($orderId: ID!) { releaseStock(orderId: $orderId) }',
      variables: { orderId },
      data: z.object({ releaseStock: z.boolean() }),
    });
  }

  /** The order shipped: its held units leave stock for good (idempotent). */
  async commitStock(orderId: string, request: CallerRequest): Promise<void> {
    await callSubgraph(this.options, request, {
      query: 'mutation Commit($orderId: ID!) { commitStock(orderId: $orderId) }',
      variables: { orderId },
      data: z.object({ commitStock: z.boolean() }),
    });
  }
}
