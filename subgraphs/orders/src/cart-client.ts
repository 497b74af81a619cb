import { callSubgraph, type CallerRequest, type SubgraphClientOptions } from '@minishop/runtime';
import { z } from 'zod';
import type { OrderLine } from './products-client';

/** The cart subgraph, over HTTP: the viewer's cart lines, and taking ordered items out of it. */
export class CartClient {
  private readonly options: SubgraphClientOptions;

  constructor(options: { url: string; timeoutMs?: number }) {
    this.options = { name: 'cart service', ...options };
  }

  /** The signed-in viewer's cart lines (empty when they have no cart). */
  async viewerCartLines(request: CallerRequest): Promise<OrderLine[]> {
    const data = await callSubgraph(this.options, request, {
      query: 'query ViewerCart { viewerCart { items { product { id } quantity } } }',
      variables: {},
      data: z.object({
        viewerCart: z.object({
          items: z.array(z.object({ product: z.object({ id: z.string() }), quantity: z.number().int() })),
        }),
      }),
    });
    return data.viewerCart.items.map((item) => ({ productId: item.product.id, quantity: item.quantity }));
  }

  /** Subtracts a committed order's lines from the viewer's cart (idempotent per order id). */
  async removeOrderedItems(orderId: string, items: readonly OrderLine[], request: CallerRequest): Promise<void> {
    await callSubgraph(this.options, request, {
      query: `mutation RemoveOrdered($orderId: ID!, $items: [OrderedItemInput!]!) {
        removeOrderedItems(orderId: $orderId, items: $items) { userId }
      }`,
      variables: { orderId, items },
      data: z.object({ removeOrderedItems: z.object({ userId: z.string() }) }),
    });
  }
}
