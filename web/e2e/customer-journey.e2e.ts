import { expect, test } from '@playwright/test';
import type { MyOrdersQuery } from '../src/graphql/generated';
import { ADMIN, choose, createProduct, login, registerCustomer, run, signIn, tokenOf, uniqueWord } from './support';

const EXPIRY_YEAR = String(new Date().getFullYear() + 3);

test('a customer buys two products with a coupon, pays after a decline, reviews; an admin ships and delivers live', async ({
  browser,
  request,
}) => {
  const word = uniqueWord();
  const adminToken = await login(request, ADMIN);
  const lampId = await createProduct(request, adminToken, { name: `Aurora Lamp ${word}`, price: 2500, stock: 40 });
  await createProduct(request, adminToken, { name: `Aurora Mug ${word}`, price: 1200, stock: 40 });

  const customer = await (await browser.newContext()).newPage();
  // What the app puts on the wire: persisted ids only, never operation text.
  const sent: Record<string, unknown>[] = [];
  customer.on('request', (sentRequest) => {
    if (new URL(sentRequest.url()).pathname === '/graphql' && sentRequest.method() === 'POST') {
      sent.push(sentRequest.postDataJSON() as Record<string, unknown>);
    }
  });
  await registerCustomer(customer, 'Edda Tester');

  // Search, then add both products.
  await customer.getByLabel('Search').fill(word);
  await customer.getByRole('button', { name: 'Search' }).click();
  const results = customer.getByTestId('product-list').getByRole('article');
  await expect(results).toHaveCount(2);
  const names = [`Aurora Lamp ${word}`, `Aurora Mug ${word}`];
  for (const [index, name] of names.entries()) {
    await customer.getByRole('link', { name }).click();
    await expect(customer.getByRole('heading', { level: 1, name })).toBeVisible();
    await customer.getByRole('button', { name: 'Add to cart' }).click();
    await expect(customer.getByText('Added to cart').last()).toBeVisible();
    await expect(customer.getByTestId('cart-count')).toHaveText(String(index + 1));
    await customer.goBack();
  }

  // Cart and checkout with a coupon.
  await customer.getByRole('link', { name: /^Cart/ }).click();
  await expect(customer.getByTestId('cart-subtotal')).toContainText('37.00');
  await customer.getByRole('button', { name: 'Proceed to checkout' }).click();
  await customer.getByLabel('Coupon code').fill('WELCOME10');
  await customer.getByRole('button', { name: 'Apply coupon' }).click();
  await expect(customer.getByTestId('coupon-result')).toContainText('Coupon applied');
  await expect(customer.getByTestId('coupon-result')).toContainText('3.70');

  // A double click places one order.
  await customer.getByRole('button', { name: 'Place order' }).dblclick();
  await expect(customer).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const orderId = customer.url().split('/').pop() ?? '';
  const token = await tokenOf(customer);
  const orders = await run<MyOrdersQuery>(request, 'MyOrders', {}, token);
  const placed = orders.data?.me?.orders?.edges.map(({ node }) => [node.id, node.total.amount]);
  expect(placed).toEqual([[orderId, 3330]]);
  const status = customer.getByTestId('order-status');
  await expect(status).toHaveText('PENDING');

  // A declined card: said clearly, the order stays payable.
  const pay = async (cardNumber: string) => {
    await customer.getByLabel('Card number').fill(cardNumber);
    await customer.getByLabel('Expiry month').fill('12');
    await customer.getByLabel('Expiry year').fill(EXPIRY_YEAR);
    await customer.getByLabel('CVC').fill('123');
    await customer.getByRole('button', { name: 'Pay now' }).click();
  };
  await pay('4000 0000 0000 0002');
  await expect(customer.getByRole('alert').filter({ hasText: /declined/i })).toBeVisible();
  await expect(status).toHaveText('PENDING');
  await pay('4242 4242 4242 4242');
  await expect(status).toHaveText('PAID');

  // The review form is for verified purchasers; the purchase is recorded by a worker after payment.
  await customer.goto(`/products/${lampId}`);
  await customer.getByLabel('Title').fill('Warm light');
  await customer.getByRole('textbox', { name: /^Review/ }).fill('Lights up the whole desk without glare.');
  await choose(customer, /^Rating/, /^5/);
  await expect(async () => {
    await customer.getByRole('button', { name: 'Submit review' }).click();
    await expect(customer.getByTestId('rating')).toHaveAttribute('aria-label', 'Rated 5.0 out of 5 from 1 reviews', {
      timeout: 2_000,
    });
  }).toPass({ timeout: 20_000 });
  await expect(customer.getByText('Lights up the whole desk without glare.')).toBeVisible();

  // An admin, in another browser context, ships and delivers; the customer's open order page follows live.
  await customer.goto(`/orders/${orderId}`);
  await expect(status).toHaveText('PAID');
  // Survives only as long as the page is not reloaded.
  await customer.evaluate(() => Object.assign(globalThis, { e2eSamePage: true }));
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN);
  await admin.goto('/admin/orders');
  const row = admin.locator(`tr[data-order-id="${orderId}"]`);
  await row.getByRole('button', { name: 'Mark shipped' }).click();
  await expect(row.getByTestId('order-status')).toHaveText('SHIPPED');
  await expect(status).toHaveText('SHIPPED');
  await row.getByRole('button', { name: 'Mark delivered' }).click();
  await expect(status).toHaveText('DELIVERED');
  expect(await customer.evaluate(() => 'e2eSamePage' in globalThis)).toBe(true);

  expect(sent.length).toBeGreaterThan(10);
  for (const body of sent) {
    expect(body).not.toHaveProperty('query');
    expect(body).toHaveProperty('extensions.persistedQuery.sha256Hash', expect.stringMatching(/^[0-9a-f]{64}$/));
  }

  // The notifications consumer tells the customer; the list shows it.
  await customer.getByRole('link', { name: /^Notifications/ }).click();
  await expect(customer.getByText('Your order was delivered')).toBeVisible({ timeout: 30_000 });
  await expect(customer.getByText('Your order has shipped')).toBeVisible();
});
