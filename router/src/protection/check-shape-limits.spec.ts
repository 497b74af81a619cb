import { parse } from 'graphql';
import { checkShapeLimits } from './check-shape-limits';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './operation-limits';
import { committedApiSchema } from '../../../schema/api-schema';

const schema = committedApiSchema();
const { anonymous, user, partner } = DEFAULT_OPERATION_LIMITS;

const codes = (query: string, limits: OperationLimits) =>
  checkShapeLimits(schema, parse(query), limits).map((error) => error.code);

/** `categories { parent { ... { name } } }`, `depth` levels deep, written inline. */
const categories = (depth: number) => `categories { ${'parent { '.repeat(depth - 2)}name${' }'.repeat(depth - 2)} }`;

/** The same shape through a chain of fragments, one level per fragment. */
function categoriesThroughFragments(depth: number): string {
  const fragments = Array.from({ length: depth - 1 }, (_, i) =>
    i === depth - 2 ? `fragment F${i} on Category { name }` : `fragment F${i} on Category { parent { ...F${i + 1} } }`,
  );
  return `{ categories { ...F0 } } ${fragments.join(' ')}`;
}

describe('checkShapeLimits', () => {
  describe('depth', () => {
    it('counts fields, not fragments, and stops at the limit', () => {
      const limits = { ...user, maxDepth: 9 };
      expect(codes(`{ ${categories(9)} }`, limits)).toEqual([]);
      expect(codes(categoriesThroughFragments(9), limits)).toEqual([]);
      expect(codes(`{ ${categories(10)} }`, limits)).toEqual(['MAX_DEPTH_LIMIT']);
      expect(codes(categoriesThroughFragments(10), limits)).toEqual(['MAX_DEPTH_LIMIT']);
    });

    it('rejects a deep query built from nested fragments and inline fragments', () => {
      const query = /* GraphQL */ `
        query Deep {
          me {
            ...Me
          }
        }
        fragment Me on User {
          reviews {
            product {
              reviews {
                edges {
                  node {
                    ... on Review {
                      ...Author
                    }
                  }
                }
              }
            }
          }
        }
        fragment Author on Review {
          author {
            reviews {
              product {
                category {
                  parent {
                    parent {
                      name
                    }
                  }
                }
              }
            }
          }
        }
      `;
      const [error, ...others] = checkShapeLimits(schema, parse(query), user);
      expect(others).toEqual([]);
      expect(error).toMatchObject({
        code: 'MAX_DEPTH_LIMIT',
        status: 400,
        message: 'Operation depth 13 exceeds the limit of 12',
      });
    });

    it('applies the limit of the deepest operation in the document', () => {
      const query = `query A { me { name } } query B { ${categories(11)} }`;
      expect(codes(query, user)).toEqual([]);
      expect(codes(query, anonymous)).toEqual(['MAX_DEPTH_LIMIT']);
    });

    it('ends on fragment cycles (left to validation to reject)', () => {
      const query = '{ ...A } fragment A on Query { me { name } ...B } fragment B on Query { ...A }';
      expect(codes(query, user)).toEqual([]);
    });
  });

  describe('aliases', () => {
    const aliased = (count: number) =>
      `{ product(id: "1") { ${Array.from({ length: count }, (_, i) => `a${i}: name`).join(' ')} } }`;

    it('rejects more aliases than the client type allows', () => {
      expect(codes(aliased(10), anonymous)).toEqual([]);
      expect(codes(aliased(11), anonymous)).toEqual(['MAX_ALIASES_LIMIT']);
      expect(codes(aliased(11), user)).toEqual([]);
      expect(codes(aliased(6), partner)).toEqual(['MAX_ALIASES_LIMIT']);
    });

    it('counts the aliases of a fragment at each spread', () => {
      const query = `{ a: me { ...Names } b: me { ...Names } }
        fragment Names on User { n1: name n2: name n3: name n4: name n5: name }`;
      const [error] = checkShapeLimits(schema, parse(query), anonymous);
      expect(error).toMatchObject({
        code: 'MAX_ALIASES_LIMIT',
        message: 'Operation has 12 aliases, more than the limit of 10',
      });
    });

    it('counts __typename aliases too (each is a result entry)', () => {
      expect(
        codes(`{ me { ${Array.from({ length: 20 }, (_, i) => `t${i}: __typename`).join(' ')} } }`, partner),
      ).toEqual(['MAX_ALIASES_LIMIT']);
    });
  });

  describe('root fields', () => {
    const SEVEN_ROOT_FIELDS = `{
      categories { id } products { totalCount } me { id } product(id: "1") { id }
      lowStockProducts { id } notificationPreferences { email } partnerClients { id }
    }`;

    it('rejects more top-level fields than the client type allows', () => {
      expect(codes(SEVEN_ROOT_FIELDS, anonymous)).toEqual(['MAX_ROOT_FIELDS_LIMIT']);
      expect(codes(SEVEN_ROOT_FIELDS, user)).toEqual([]);
    });

    it('counts fields reached through fragments, each response key once', () => {
      const query = `{ ...Page categories { name } ... on Query { me { id } product(id: "1") { id } } }
        fragment Page on Query { categories { id } a: products { totalCount } b: products { totalCount } __typename }`;
      const [error] = checkShapeLimits(schema, parse(query), { ...user, maxRootFields: 4 });
      expect(error).toMatchObject({
        code: 'MAX_ROOT_FIELDS_LIMIT',
        message: 'Operation has 5 root fields, more than the limit of 4',
      });
      expect(codes(query, { ...user, maxRootFields: 5 })).toEqual([]);
    });
  });

  it('reports every limit exceeded at once', () => {
    const query = `{ ${categories(9)} ${Array.from({ length: 6 }, (_, i) => `p${i}: products { totalCount }`).join(' ')} }`;
    expect(codes(query, partner)).toEqual(['MAX_DEPTH_LIMIT', 'MAX_ALIASES_LIMIT', 'MAX_ROOT_FIELDS_LIMIT']);
  });
});
