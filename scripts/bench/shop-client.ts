// What the benchmarks that drive the shop through the router share: calls, an admin and a product
// stocked for the whole run, percentiles.
import { randomUUID } from 'node:crypto';

export const ROUTER_PORT = 4000;
export const ROUTER_URL = `http://127.0.0.1:${ROUTER_PORT}/graphql`;

/** Runs an operation through the router; any GraphQL error fails the benchmark. */
export async function call<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(ROUTER_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Signs in as the seeded admin and creates a product with stock for any run; returns both. */
export async function adminWithProduct(product: { name: string; description: string; priceAmount: number }) {
  const { login } = await call<{ login: { token: string } }>(
    'mutation { login(email: "admin@minishop.dev", password: "admin123!") { token } }',
    {},
  );
  const { categories } = await call<{ categories: { id: string }[] }>('{ categories { id } }', {});
  const { createProduct } = await call<{ createProduct: { id: string } }>(
    'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
    {
      input: {
        sku: `BENCH-${randomUUID().slice(0, 8).toUpperCase()}`,
        name: product.name,
        description: product.description,
        price: { amount: product.priceAmount, currency: 'EUR' },
        categoryId: categories[0]?.id,
        initialStock: 1_000_000,
      },
    },
    login.token,
  );
  return { adminToken: login.token, productId: createProduct.id };
}
