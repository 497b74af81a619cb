import { ConfigError } from '@minishop/runtime';
import { GraphQLError } from 'graphql';
import { CLIENT_TYPES } from '../caller';
import { checkShapeLimits } from './check-shape-limits';
import { checkCost } from './estimate-cost';
import { DEFAULT_OPERATION_LIMITS, readOperationLimits } from './operation-limits';
import { parseWithinLimits } from './parse-within-limits';
import { DEFAULT_RATE_LIMITS, readRateLimits } from './rate-limit';
import { committedApiSchema } from '../../../schema/api-schema';

const STOREFRONT = /* GraphQL */ `
  query Storefront($filter: ProductFilter, $first: Int!, $after: String) {
    categories {
      id
      slug
      name
    }
    products(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...ProductCard
        }
      }
    }
  }

  fragment ProductCard on Product {
    id
    name
    inStock
    price {
      amount
      currency
    }
    category {
      slug
    }
    rating {
      average
      count
    }
    reviews(first: 3) {
      edges {
        node {
          rating
          title
          author {
            name
          }
        }
      }
    }
  }
`;

/** Text of the error thrown by `read`, for matching. */
function problem(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('default operation limits', () => {
  it('let a normal storefront page through for every client type', () => {
    const schema = committedApiSchema();
    for (const type of CLIENT_TYPES) {
      const limits = DEFAULT_OPERATION_LIMITS[type];
      const document = parseWithinLimits(STOREFRONT, limits);
      if (document instanceof GraphQLError) throw document;
      expect(checkShapeLimits(schema, document, limits)).toEqual([]);
      const variables = { filter: { search: 'lamp', inStock: true }, first: 20 };
      expect(checkCost(schema, document, 'Storefront', variables, limits)).toBeUndefined();
    }
  });

  it('are tighter for anonymous callers than for users, and shallow but roomy for partners', () => {
    const { anonymous, user, partner } = DEFAULT_OPERATION_LIMITS;
    for (const key of ['maxDepth', 'maxAliases', 'maxRootFields', 'maxTokens', 'maxCost'] as const) {
      expect(anonymous[key]).toBeLessThan(user[key]);
    }
    expect(partner.maxDepth).toBeLessThan(anonymous.maxDepth);
    expect(partner.maxAliases).toBeLessThan(anonymous.maxAliases);
    expect(partner.maxCost).toBeGreaterThan(user.maxCost);
  });
});

describe('readOperationLimits', () => {
  it('is the defaults without OPERATION_LIMITS', () => {
    expect(readOperationLimits(undefined)).toEqual(DEFAULT_OPERATION_LIMITS);
    expect(readOperationLimits('  ')).toEqual(DEFAULT_OPERATION_LIMITS);
  });

  it('merges partial per-client-type overrides over the defaults', () => {
    const limits = readOperationLimits(
      '{"anonymous": {"maxDepth": 7}, "partner": {"maxCost": 100000, "maxAliases": 0}}',
    );
    expect(limits.anonymous).toEqual({ ...DEFAULT_OPERATION_LIMITS.anonymous, maxDepth: 7 });
    expect(limits.partner).toEqual({ ...DEFAULT_OPERATION_LIMITS.partner, maxCost: 100_000, maxAliases: 0 });
    expect(limits.user).toEqual(DEFAULT_OPERATION_LIMITS.user);
  });

  it('rejects bad JSON, naming the variable', () => {
    expect(problem(() => readOperationLimits('{"user": {'))).toMatch(/OPERATION_LIMITS: not valid JSON/);
  });

  it('rejects negative, fractional and non-numeric values, naming each key', () => {
    const message = problem(() =>
      readOperationLimits('{"user": {"maxDepth": -1, "maxCost": 1.5}, "anonymous": {"maxTokens": "9"}}'),
    );
    expect(message).toMatch(/OPERATION_LIMITS\.user\.maxDepth: /);
    expect(message).toMatch(/OPERATION_LIMITS\.user\.maxCost: /);
    expect(message).toMatch(/OPERATION_LIMITS\.anonymous\.maxTokens: /);
  });

  it('rejects unknown client types and settings (typos must not silently keep the defaults)', () => {
    expect(problem(() => readOperationLimits('{"robot": {"maxDepth": 3}}'))).toMatch(/OPERATION_LIMITS\.robot: /);
    expect(problem(() => readOperationLimits('{"user": {"maxDeph": 3}}'))).toMatch(/OPERATION_LIMITS\.user\.maxDeph: /);
    expect(problem(() => readOperationLimits('[1]'))).toMatch(/OPERATION_LIMITS: /);
  });
});

describe('readRateLimits', () => {
  it('merges partial overrides over the defaults', () => {
    expect(readRateLimits(undefined)).toEqual(DEFAULT_RATE_LIMITS);
    const limits = readRateLimits('{"user": {"refillPerSecond": 0.5}}');
    expect(limits.user).toEqual({ capacity: DEFAULT_RATE_LIMITS.user.capacity, refillPerSecond: 0.5 });
    expect(limits.partner).toEqual(DEFAULT_RATE_LIMITS.partner);
  });

  it('rejects bad JSON and non-positive values, naming the key', () => {
    expect(problem(() => readRateLimits('nope'))).toMatch(/RATE_LIMITS: not valid JSON/);
    expect(problem(() => readRateLimits('{"anonymous": {"capacity": 0}}'))).toMatch(
      /RATE_LIMITS\.anonymous\.capacity: /,
    );
    expect(problem(() => readRateLimits('{"partner": {"refillPerSecond": -2}}'))).toMatch(
      /RATE_LIMITS\.partner\.refillPerSecond: /,
    );
  });
});
