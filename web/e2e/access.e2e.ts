import { expect, test } from '@playwright/test';
import type { ProductsQuery } from '../src/graphql/generated';
import { registerCustomer, run, tokenOf, uniqueWord } from './support';

test('a customer is refused the admin console by the UI and, forcing the requests, by the router', async ({
  page,
  request,
}) => {
  await registerCustomer(page, 'Curious Customer');
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await page.goto('/admin/products');
  await expect(page.getByTestId('admin-refused')).toContainText('does not have access');
  await expect(page.getByRole('button', { name: 'New product' })).toHaveCount(0);

  const token = await tokenOf(page);
  const word = uniqueWord();
  const create = await run(
    request,
    'CreateProduct',
    {
      input: {
        sku: `HACK-${word}`,
        name: `Forced ${word}`,
        price: { amount: 100, currency: 'EUR' },
        categoryId: '00000000-0000-4000-8000-000000000000',
      },
    },
    token,
  );
  expect(create.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  expect(create.data ?? null).toBeNull();

  const orders = await run(request, 'AdminOrders', {}, token);
  expect(orders.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);

  const search = await run<ProductsQuery>(request, 'Products', { filter: { search: word } });
  expect(search.data?.products.totalCount).toBe(0);
});
