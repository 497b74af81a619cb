import { randomBytes } from 'node:crypto';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

// Dev/test-only demo logins created by the seed (prisma/src/seed-data.ts).
export const ADMIN = { email: 'admin@minishop.dev', password: 'admin123!' };

/** A word no seeded product contains, to find this run's products by full-text search. */
export function uniqueWord(): string {
  return `zq${randomBytes(5)
    .toString('hex')
    .replace(/\d/g, (d) => 'ghijklmnop'[Number(d)] ?? 'x')}`;
}

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A freeform GraphQL request to the router, as any client could send it. */
export async function graphql<T>(
  request: APIRequestContext,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await request.post('/graphql', {
    data: { query, variables },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return (await response.json()) as GraphQLResponse<T>;
}

export async function login(request: APIRequestContext, { email, password }: typeof ADMIN): Promise<string> {
  const result = await graphql<{ login: { token: string } }>(
    request,
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
    { email, password },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.login.token ?? '';
}

/** Creates an active product with stock through the API (test data, not the scenario under test). */
export async function createProduct(
  request: APIRequestContext,
  adminToken: string,
  { name, price, stock }: { name: string; price: number; stock: number },
): Promise<string> {
  const categories = await graphql<{ categories: { id: string }[] }>(request, '{ categories { id } }');
  const category = categories.data?.categories[0];
  const created = await graphql<{ createProduct: { id: string } }>(
    request,
    'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
    {
      input: {
        sku: `E2E-${randomBytes(4).toString('hex').toUpperCase()}`,
        name,
        description: `${name}, made for the end-to-end suite.`,
        price: { amount: price, currency: 'EUR' },
        categoryId: category?.id,
        initialStock: stock,
      },
    },
    adminToken,
  );
  expect(created.errors).toBeUndefined();
  return created.data?.createProduct.id ?? '';
}

/** Registers a new customer through the UI; returns their email. */
export async function registerCustomer(page: Page, name: string): Promise<string> {
  const email = `${uniqueWord()}@e2e.minishop.dev`;
  await page.goto('/register');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: /^Password/ }).fill('e2e-password-1');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('viewer-name')).toHaveText(name);
  return email;
}

export async function signIn(page: Page, { email, password }: typeof ADMIN): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: /^Password/ }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('viewer-name')).toBeVisible();
}

/** The access token the app holds for the signed-in viewer (kept in sessionStorage). */
export function tokenOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const storage = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } })
      .sessionStorage;
    return (JSON.parse(storage.getItem('minishop.session') ?? '{}') as { token: string }).token;
  });
}

/** Picks `option` in a Mantine Select labelled `label` (required fields' labels end in " *"). */
export async function choose(page: Page, label: string | RegExp, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).first().click();
}
