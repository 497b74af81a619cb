import { expect, test } from '@playwright/test';
import { graphql, registerCustomer, tokenOf, uniqueWord } from './support';

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
  const create = await graphql(
    request,
    'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
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

  const orders = await graphql(request, '{ orders(first: 5) { edges { node { id } } } }', {}, token);
  expect(orders.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);

  const search = await graphql<{ products: { totalCount: number } }>(
    request,
    'query($search: String) { products(filter: { search: $search }) { totalCount } }',
    { search: word },
  );
  expect(search.data?.products.totalCount).toBe(0);
});
