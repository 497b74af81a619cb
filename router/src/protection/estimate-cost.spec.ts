import { GraphQLError, parse } from 'graphql';
import { checkCost, estimateCost } from './estimate-cost';
import { DEFAULT_OPERATION_LIMITS } from './operation-limits';
import { committedApiSchema } from '../../../schema/api-schema';

const schema = committedApiSchema();
const { anonymous, user, partner } = DEFAULT_OPERATION_LIMITS;

const cost = (query: string, variables: Record<string, unknown> = {}, limits = user, operationName?: string) =>
  estimateCost(schema, parse(query), operationName, variables, limits);

/** A partner-style feed; with sizes given as `$products`/`$reviews` they are variables. */
const productsWithReviews = (products: number | string, reviews: number | string) => `
  query Feed${typeof products === 'string' ? '($products: Int!, $reviews: Int!)' : ''} {
    products(first: ${products}) {
      edges { node { name reviews(first: ${reviews}) { edges { node { rating title author { name } } } } } }
    }
  }`;

/** 2^15 copies of `me { name }` through fragments spread twice at each level. */
const FRAGMENT_BOMB = `{ ...F0 } ${Array.from({ length: 16 }, (_, i) =>
  i === 15 ? `fragment F${i} on Query { me { name } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
).join(' ')}`;

describe('estimateCost', () => {
  it('multiplies a connection by `first` once (edges are not multiplied again)', () => {
    // products: 1 + 100 x (edges 1 + node 1 + reviews (1 + 50 x (edges 1 + node 1 + author 1)))
    expect(cost(productsWithReviews(100, 50))).toBe(1 + 100 * (1 + 1 + (1 + 50 * 3)));
    expect(cost(productsWithReviews(5, 5))).toBe(1 + 5 * (1 + 1 + (1 + 5 * 3)));
  });

  it('takes list sizes from variables', () => {
    const query = productsWithReviews('$products', '$reviews');
    expect(cost(query, { products: 100, reviews: 50 })).toBe(cost(productsWithReviews(100, 50)));
    expect(cost(query, { products: 5, reviews: 5 })).toBe(cost(productsWithReviews(5, 5)));
  });

  it("uses the schema's default `first`, else defaultListSize for plain lists", () => {
    // products(first: Int! = 20)
    expect(cost('{ products { edges { node { name } } } }')).toBe(1 + 20 * 2);
    // categories: [Category!]! and children: [Category!]! have no size argument
    expect(cost('{ categories { name children { name } } }')).toBe(10 * (1 + 10 * 1));
    expect(cost('{ categories { name children { name } } }', {}, { ...user, defaultListSize: 3 })).toBe(3 * (1 + 3));
    // lowStockProducts(first: Int! = 100): [Product!]!, a list sized by its argument
    expect(cost('{ lowStockProducts(first: 7) { name price { amount } } }')).toBe(7 * 2);
  });

  it('charges nothing for scalars, __typename and introspection', () => {
    expect(cost('{ products(first: 50) { totalCount __typename } }')).toBe(1);
    expect(cost('{ __typename __schema { types { name fields { name type { name } } } } }')).toBe(0);
    expect(cost('{ __type(name: "Product") { fields { name } } }')).toBe(0);
  });

  it('honours @skip and @include', () => {
    const query =
      'query($full: Boolean!) { me { name orders(first: 50) @include(if: $full) { edges { node { id } } } } }';
    expect(cost(query, { full: false })).toBe(1);
    expect(cost(query, { full: true })).toBe(1 + 1 + 50 * 2);
  });

  it('estimates the operation named by operationName', () => {
    const query = `query Cheap { me { name } } ${productsWithReviews(100, 50)}`;
    expect(cost(query, {}, user, 'Cheap')).toBe(1);
    expect(cost(query, {}, user, 'Feed')).toBe(cost(productsWithReviews(100, 50)));
    expect(cost(query, {}, user, 'Unknown')).toBe(0);
    expect(cost('{ me { name } }', {}, user, 'Named')).toBe(0);
  });

  it('throws when the variables do not fit the operation', () => {
    expect(() => cost(productsWithReviews('$products', '$reviews'), { products: 'many' })).toThrow(GraphQLError);
  });

  it('is Infinity for fragments that multiply into too many fields to walk', () => {
    expect(cost(FRAGMENT_BOMB)).toBe(Infinity);
  });
});

describe('checkCost', () => {
  it('rejects an operation over the budget with COST_ESTIMATED_TOO_EXPENSIVE', () => {
    const error = checkCost(schema, parse(productsWithReviews(100, 50)), undefined, {}, user);
    expect(error).toMatchObject({
      code: 'COST_ESTIMATED_TOO_EXPENSIVE',
      status: 400,
      extensions: { code: 'COST_ESTIMATED_TOO_EXPENSIVE' },
      message: `Operation cost is estimated at 15301, more than the budget of ${user.maxCost}`,
    });
    expect(checkCost(schema, parse(productsWithReviews(5, 5)), undefined, {}, anonymous)).toBeUndefined();
  });

  it('gives partners room for large feeds that users may not run', () => {
    const feed = parse(productsWithReviews('$products', '$reviews'));
    const variables = { products: 100, reviews: 50 };
    expect(checkCost(schema, feed, 'Feed', variables, user)?.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    expect(checkCost(schema, feed, 'Feed', variables, partner)).toBeUndefined();
  });

  it('stops at the budget exactly', () => {
    const document = parse(productsWithReviews(5, 5));
    expect(checkCost(schema, document, undefined, {}, { ...user, maxCost: 91 })).toBeUndefined();
    expect(checkCost(schema, document, undefined, {}, { ...user, maxCost: 90 })?.code).toBe(
      'COST_ESTIMATED_TOO_EXPENSIVE',
    );
  });

  it('rejects what it cannot estimate', () => {
    expect(checkCost(schema, parse(FRAGMENT_BOMB), undefined, {}, partner)).toMatchObject({
      code: 'COST_ESTIMATED_TOO_EXPENSIVE',
      message: `Operation is too large to estimate its cost (budget ${partner.maxCost})`,
    });
  });

  it('leaves variables that do not fit to execution, which rejects them', () => {
    const document = parse(productsWithReviews('$products', '$reviews'));
    expect(checkCost(schema, document, 'Feed', { products: 'many' }, user)).toBeUndefined();
  });
});
