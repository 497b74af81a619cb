import { randomBytes } from 'node:crypto';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import {
  OPERATION_IDS,
  type CategoriesQuery,
  type CreateProductMutation,
  type LoginMutation,
} from '../src/graphql/generated';

// Dev/test-only demo logins created by the seed (prisma/src/seed-data.ts).
export const ADMIN = { email: 'admin@minishop.dev', password: 'admin123!' };

/** A word no seeded product contains, to find this run's products by full-text search. */
export function uniqueWord(): string {
  return `zq${randomBytes(5)
    .toString('hex')
    .replace(/\d/g, (d) => 'ghijklmnop'[Number(d)] ?? 'x')}`;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Runs one of the web app's safelisted operations by its manifest id, as the app does (the e2e system
 * enforces the safelist); `token` signs it as that user.
 */
export async function run<T>(
  request: APIRequestContext,
  operationName: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const sha256Hash = OPERATION_IDS[operationName];
  if (!sha256Hash) throw new Error(`${operationName} is not a web operation`);
  const response = await request.post('/graphql', {
    data: { operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash } } },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return (await response.json()) as GraphQLResponse<T>;
}

export async function login(request: APIRequestContext, { email, password }: typeof ADMIN): Promise<string> {
  const result = await run<LoginMutation>(request, 'Login', { email, password });
  expect(result.errors).toBeUndefined();
  return result.data?.login.token ?? '';
}

/** Creates an active product with stock through the API (test data, not the scenario under test). */
export async function createProduct(
  request: APIRequestContext,
  adminToken: string,
  { name, price, stock }: { name: string; price: number; stock: number },
): Promise<string> {
  const categories = await run<CategoriesQuery>(request, 'Categories');
  const created = await run<CreateProductMutation>(
    request,
    'CreateProduct',
    {
      input: {
        sku: `E2E-${randomBytes(4).toString('hex').toUpperCase()}`,
        name,
        description: `${name}, made for the end-to-end suite.`,
        price: { amount: price, currency: 'EUR' },
        categoryId: categories.data?.categories[0]?.id,
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
