import { randomUUID } from 'node:crypto';
import { graphql, registerCustomer, startStack, type GraphQLBody } from '../../../router/test/harness';
import { ordersFixture } from './fixtures';

// Operations and small helpers shared by the orders integration tests (through the router).

export type Stack = Awaited<ReturnType<typeof startStack>>;
export type Fixture = ReturnType<typeof ordersFixture>;

export const ORDER_FIELDS = `id status couponCode
  user { id }
  items { quantity product { id } unitPrice { amount currency } lineTotal { amount } }
  subtotal { amount currency } discount { amount } total { amount currency }
  history { from to reason }
  payments { outcome cardLast4 amount { amount } }`;

export const PLACE = `mutation Place($input: PlaceOrderInput!, $coupon: String, $key: String!) {
  placeOrder(input: $input, couponCode: $coupon, idempotencyKey: $key) { ${ORDER_FIELDS} }
}`;
export const PAY = `mutation Pay($id: ID!, $payment: PaymentInput!) {
  payOrder(orderId: $id, payment: $payment) { order { id status } payment { outcome cardLast4 amount { amount } } }
}`;
export const CANCEL = `mutation Cancel($id: ID!, $reason: String!) {
  cancelOrder(orderId: $id, reason: $reason) { ${ORDER_FIELDS} }
}`;
export const UPDATE_STATUS = `mutation Update($id: ID!, $status: OrderStatus!) {
  updateOrderStatus(orderId: $id, status: $status) { ${ORDER_FIELDS} }
}`;
export const ADD_TO_CART = 'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }';

export interface OrderView {
  id: string;
  status: string;
  couponCode: string | null;
  user: { id: string };
  items: { quantity: number; product: { id: string }; unitPrice: { amount: number }; lineTotal: { amount: number } }[];
  subtotal: { amount: number; currency: string };
  discount: { amount: number };
  total: { amount: number; currency: string };
  history: { from: string | null; to: string; reason: string | null }[];
  payments: { outcome: string; cardLast4: string; amount: { amount: number } }[];
}

export const card = (cardNumber: string) => ({ cardNumber, expiryMonth: 12, expiryYear: 2099, cvc: '123' });

/** The data of a successful operation, or a failure listing its errors. */
export function dataOf(body: GraphQLBody): Record<string, unknown> {
  if (body.errors?.length || !body.data) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The extensions of the first error (the operation must fail), without the router's `serviceName`. */
export function errorOf(body: GraphQLBody): Record<string, unknown> {
  const error = body.errors?.[0];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(body.data)}`);
  const { serviceName: _serviceName, ...extensions } = error.extensions ?? {};
  return extensions;
}

/** A fresh customer whose orders the fixture removes at the end. */
export async function customer(stack: Stack, fixture: Fixture) {
  const registered = await registerCustomer(stack.router);
  fixture.trackUser(registered.userId);
  return registered;
}

/** Places an order for explicit lines through the router; answers the raw body. */
export async function place(
  stack: Stack,
  token: string,
  items: { productId: string; quantity: number }[],
  options: { coupon?: string; key?: string } = {},
) {
  const { body } = await graphql(
    stack.router,
    PLACE,
    { input: { items }, coupon: options.coupon ?? null, key: options.key ?? randomUUID() },
    token,
  );
  return body;
}

/** Places an order that must succeed. */
export async function placed(...args: Parameters<typeof place>): Promise<OrderView> {
  return dataOf(await place(...args))['placeOrder'] as OrderView;
}

/** Stock on hand and reserved units of a product. */
export async function stockOf(stack: Stack, productId: string) {
  const product = await stack.prisma.product.findUniqueOrThrow({ where: { id: productId } });
  return { stock: product.stock, reserved: product.reserved };
}
