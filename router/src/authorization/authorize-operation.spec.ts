import { buildSchema, parse, print, validate, type GraphQLSchema } from 'graphql';
import { readAccessIndex, type AccessIndex } from './access-index';
import { analyzeOperation } from './analyze-operation';
import { authorizeOperation, type AuthorizationResult } from './authorize-operation';
import type { Grants } from './requirements';
import { anonymous, composeTestSupergraph, loadApiSchema, partner, user } from './test-supergraph';

let schema: GraphQLSchema;
let index: AccessIndex;

beforeAll(async () => {
  const supergraphSdl = composeTestSupergraph();
  index = readAccessIndex(supergraphSdl);
  schema = await loadApiSchema(supergraphSdl);
});

function authorize(query: string, grants: Grants, operationName?: string): AuthorizationResult {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  const result = authorizeOperation(analyzeOperation(schema, index, document, operationName), grants);
  if (result.document) expect(validate(schema, result.document)).toEqual([]);
  return result;
}

/** The filtered document, printed the way an expected one is. */
const printed = (result: AuthorizationResult) => (result.document ? print(result.document) : null);
const same = (query: string) => print(parse(query));
const denied = (code: string, ...paths: string[][]) =>
  paths.map((path) => ({ message: 'Unauthorized field or type', path, extensions: { code } }));
const ALL_ALLOWED = { document: null, errors: [], nothingLeft: false };

describe('@authenticated (imported as @signedIn)', () => {
  const query = '{ me { name } products { name } }';

  it('removes the field for an anonymous caller with UNAUTHENTICATED at its path', () => {
    const result = authorize(query, anonymous);
    expect(printed(result)).toBe(same('{ products { name } }'));
    expect(result.errors).toEqual(denied('UNAUTHENTICATED', ['me']));
    expect(result.nothingLeft).toBe(false);
  });

  it('keeps everything for a signed-in user, without rewriting the document', () => {
    expect(authorize(query, user())).toEqual(ALL_ALLOWED);
  });

  it('answers FORBIDDEN to a partner client, which is not a signed-in user', () => {
    expect(authorize(query, partner()).errors).toEqual(denied('FORBIDDEN', ['me']));
  });

  it('guards enums and scalars through the fields returning them', () => {
    const result = authorize('{ level secret products { name } }', anonymous);
    expect(printed(result)).toBe(same('{ products { name } }'));
    expect(result.errors).toEqual(denied('UNAUTHENTICATED', ['level'], ['secret']));
    expect(authorize('{ level secret }', user(['secret']))).toEqual(ALL_ALLOWED);
  });
});

describe('@requiresScopes', () => {
  it('needs every scope of one inner list (outer OR, inner AND)', () => {
    const query = '{ adminStats { orders } products { name } }';
    expect(authorize(query, user(['admin:read'])).errors).toEqual(denied('FORBIDDEN', ['adminStats']));
    expect(authorize(query, user(['stats:read', 'root:x'])).errors).toEqual(denied('FORBIDDEN', ['adminStats']));
    expect(authorize(query, user(['admin:read', 'stats:read']))).toEqual(ALL_ALLOWED);
    expect(authorize(query, user(['root']))).toEqual(ALL_ALLOWED);
  });

  it('asks an anonymous caller to authenticate', () => {
    expect(authorize('{ adminStats { orders } products { name } }', anonymous).errors).toEqual(
      denied('UNAUTHENTICATED', ['adminStats']),
    );
  });

  it('guards mutation fields and keeps the others', () => {
    const query = 'mutation { createProduct(name: "x") { id } ping }';
    const result = authorize(query, user(['catalog:read']));
    expect(printed(result)).toBe(same('mutation { ping }'));
    expect(result.errors).toEqual(denied('FORBIDDEN', ['createProduct']));
    expect(authorize(query, user(['catalog:write']))).toEqual(ALL_ALLOWED);
  });
});

describe('@policy', () => {
  it('applies a type-level policy to every field returning the type (outer OR)', () => {
    const query = '{ products { name supplier { name } } }';
    const result = authorize(query, user([], { 'supplier.read': false }));
    expect(printed(result)).toBe(same('{ products { name } }'));
    expect(result.errors).toEqual(denied('FORBIDDEN', ['products', 'supplier']));
    expect(authorize(query, user([], { 'supplier.read': true }))).toEqual(ALL_ALLOWED);
    expect(authorize(query, partner({ admin: true }))).toEqual(ALL_ALLOWED);
  });

  it('needs every policy of an inner list; a missing decision denies', () => {
    const query = '{ me { name email } }';
    expect(authorize(query, user([], { self: true })).errors).toEqual(denied('FORBIDDEN', ['me', 'email']));
    expect(authorize(query, user([], { self: true, pii: false })).errors).toHaveLength(1);
    expect(authorize(query, user([], { self: true, pii: true }))).toEqual(ALL_ALLOWED);
  });

  it('guards entity fields contributed by another subgraph', () => {
    const result = authorize('query P($id: ID!) { product(id: $id) { name stock } }', partner());
    expect(printed(result)).toBe(same('query P($id: ID!) { product(id: $id) { name } }'));
    expect(result.errors).toEqual(denied('FORBIDDEN', ['product', 'stock']));
  });

  it('lists every policy an operation involves, for one batched decision', () => {
    const document = parse('{ products { supplier { name } stock } me { email } media { url } }');
    const access = analyzeOperation(schema, index, document);
    expect([...access.policies].sort()).toEqual([
      'admin',
      'inventory.read',
      'pii',
      'self',
      'supplier.read',
      'video.watch',
    ]);
  });
});

describe('paths', () => {
  it('use aliases and carry no list indices', () => {
    const result = authorize(
      '{ catalog: products { price: cost name } viewer: me { pals: friends { email } } }',
      anonymous,
    );
    expect(printed(result)).toBe(same('{ catalog: products { name } }'));
    expect(result.errors).toEqual(denied('UNAUTHENTICATED', ['catalog', 'price'], ['viewer']));

    const signedIn = authorize('{ viewer: me { pals: friends { mail: email name } } }', user());
    expect(signedIn.errors).toEqual(denied('FORBIDDEN', ['viewer', 'pals', 'mail']));
  });
});

describe('fragments', () => {
  it('reports a named fragment reused in two places at both paths', () => {
    const result = authorize(
      `query Q { products { ...ProductFields } product(id: "1") { ...ProductFields } }
       fragment ProductFields on Product { name cost }`,
      user(),
    );
    expect(printed(result)).toBe(
      same(`query Q { products { ...ProductFields } product(id: "1") { ...ProductFields } }
            fragment ProductFields on Product { name }`),
    );
    expect(result.errors).toEqual(denied('FORBIDDEN', ['products', 'cost'], ['product', 'cost']));
  });

  it('follows nested named and inline fragments', () => {
    const result = authorize(
      `{ me { ...Outer } }
       fragment Outer on User { name ... on User { friends { ...Inner } } }
       fragment Inner on User { id email }`,
      user(),
    );
    expect(result.errors).toEqual(denied('FORBIDDEN', ['me', 'friends', 'email']));
    expect(printed(result)).toBe(
      same(`{ me { ...Outer } }
            fragment Outer on User { name ... on User { friends { ...Inner } } }
            fragment Inner on User { id }`),
    );
  });

  it('removes fragments whose type condition is guarded, reporting the keys they held', () => {
    const result = authorize(
      `{ search { __typename ... on Product { name } ...ReportFields } }
       fragment ReportFields on Report { title }`,
      user(),
    );
    expect(printed(result)).toBe(same('{ search { __typename ... on Product { name } } }'));
    expect(result.errors).toEqual(denied('FORBIDDEN', ['search', 'title']));
    expect(authorize('{ search { ... on Report { heading: title } } products { id } }', user()).errors).toEqual(
      denied('FORBIDDEN', ['search', 'heading']),
    );
    expect(authorize('{ search { ... on Report { title } } }', user(['reports']))).toEqual(ALL_ALLOWED);
  });

  it('drops fragments and variables left unused, so the document still validates', () => {
    const result = authorize(
      `query Q($id: ID!, $skip: Boolean!) {
         products @skip(if: $skip) { name }
         product(id: $id) { ...Costs }
         me { ...Person }
       }
       fragment Costs on Product { cost }
       fragment Person on User { name }
       query Other { products { name } }`,
      anonymous,
      'Q',
    );
    expect(printed(result)).toBe(same('query Q($skip: Boolean!) { products @skip(if: $skip) { name } }'));
    expect(result.errors).toEqual(denied('UNAUTHENTICATED', ['product', 'cost'], ['me']));
  });

  it('stays linear when fragments are spread exponentially many times, with a bounded error list', () => {
    const levels = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i + 1} on User { friends { ...F${i} } pal: friends { ...F${i} } }`,
    );
    const query = `{ me { ...F40 } } fragment F0 on User { name email } ${levels.join(' ')}`;
    const result = authorize(query, user());
    expect(result.errors).toHaveLength(100);
    expect(printed(result)).toContain('fragment F0 on User {\n  name\n}');
  });

  it('walks a fragment spread many times at the same path once', () => {
    const levels = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on User { friends { ...F${i} ...F${i} } }`);
    const query = `{ me { ...F40 } } fragment F0 on User { name email } ${levels.join(' ')}`;
    const access = analyzeOperation(schema, index, parse(query));
    expect(authorizeOperation(access, user()).errors).toEqual(
      denied('FORBIDDEN', ['me', ...Array<string>(40).fill('friends'), 'email']),
    );
  });
});

describe('interfaces and abstract types', () => {
  it('guards a field returning an interface an implementation of which is guarded', () => {
    const result = authorize('{ posts { id title } products { name } }', anonymous);
    expect(printed(result)).toBe(same('{ products { name } }'));
    expect(result.errors).toEqual(denied('UNAUTHENTICATED', ['posts']));
    expect(authorize('{ posts { id title } }', user())).toEqual(ALL_ALLOWED);
  });

  it("applies an implementation's field requirements to the interface field, not to other implementations", () => {
    const viaInterface = authorize('{ media { id url } }', user());
    expect(printed(viaInterface)).toBe(same('{ media { id } }'));
    expect(viaInterface.errors).toEqual(denied('FORBIDDEN', ['media', 'url']));

    const viaTypes = authorize('{ media { ... on Image { url } ... on Video { url } } }', user());
    expect(printed(viaTypes)).toBe(same('{ media { ... on Image { url } } }'));
    expect(viaTypes.errors).toEqual(denied('FORBIDDEN', ['media', 'url']));
    expect(authorize('{ media { url } }', user([], { 'video.watch': true }))).toEqual(ALL_ALLOWED);
  });
});

describe('hand-written supergraphs (requirements composition would have moved)', () => {
  const sdl = `
    schema @link(url: "https://specs.apollo.dev/link/v1.0")
      @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
      @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY) { query: Query mutation: Mutation }
    directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
    directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
    directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
    scalar link__Import
    enum link__Purpose { SECURITY EXECUTION }
    type Query { posts: [Post!]! }
    type Mutation @authenticated { publish: Boolean }
    interface Post { id: ID! title: String }
    type PublicPost implements Post { id: ID! title: String }
    type DraftPost implements Post @authenticated { id: ID! title: String @policy(policies: [["drafts"]]) }`;
  const run = (query: string, grants: Grants) =>
    authorizeOperation(analyzeOperation(buildSchema(sdl), readAccessIndex(sdl), parse(query)), grants);

  it("apply implementations' type and field requirements to fields selected through the interface", () => {
    const result = run('{ posts { __typename id ... on PublicPost { title } } }', anonymous);
    expect(result.errors).toEqual(denied('UNAUTHENTICATED', ['posts', 'id']));
    expect(printed(result)).toBe(same('{ posts { __typename ... on PublicPost { title } } }'));
    expect(run('{ posts { title } }', user()).errors).toEqual(denied('FORBIDDEN', ['posts', 'title']));
    expect(run('{ posts { title } }', user([], { drafts: true }))).toEqual(ALL_ALLOWED);
  });

  it("apply a root type's requirements to its fields, except __typename", () => {
    const result = run('mutation { __typename publish }', anonymous);
    expect(printed(result)).toBe(same('mutation { __typename }'));
    expect(result.errors).toEqual(denied('UNAUTHENTICATED', ['publish']));
    expect(run('mutation { publish }', user())).toEqual(ALL_ALLOWED);
  });
});

describe('what is never guarded, and what is left', () => {
  it('keeps __typename and introspection', () => {
    const result = authorize('{ __typename __schema { queryType { name } } me { id } }', anonymous);
    expect(printed(result)).toBe(same('{ __typename __schema { queryType { name } } }'));
    expect(result.nothingLeft).toBe(false);
  });

  it('removes a field whose whole selection set was removed, reporting only what was guarded', () => {
    const result = authorize('{ products { cost } search { __typename } }', user());
    expect(printed(result)).toBe(same('{ search { __typename } }'));
    expect(result.errors).toEqual(denied('FORBIDDEN', ['products', 'cost']));
  });

  it('says so when nothing is left to execute', () => {
    const result = authorize('query Q($id: ID!) { me { id } product(id: $id) { cost } }', anonymous);
    expect(result).toEqual({
      document: null,
      nothingLeft: true,
      errors: denied('UNAUTHENTICATED', ['me'], ['product', 'cost']),
    });
  });

  it('reuses the result for callers in the same situation', () => {
    const access = analyzeOperation(schema, index, parse('{ me { id } products { name } }'));
    expect(authorizeOperation(access, anonymous)).toBe(authorizeOperation(access, { ...anonymous }));
    expect(authorizeOperation(access, anonymous)).not.toBe(authorizeOperation(access, partner()));
  });
});

describe('operations it cannot analyze', () => {
  it.each([
    ['an unknown operation name', '{ me { id } }', 'Nope'],
    ['several operations and no name', 'query A { me { id } } query B { me { id } }', undefined],
  ])('has no requirements for %s', (_, query, operationName) => {
    const access = analyzeOperation(schema, index, parse(query), operationName);
    expect(access.hasRequirements).toBe(false);
    expect(authorizeOperation(access, anonymous)).toEqual(ALL_ALLOWED);
  });

  it.each([
    ['an unknown field', '{ nope { id } me { id } }'],
    ['an unknown fragment', '{ me { ...Missing } }'],
    ['a fragment cycle', '{ me { ...A } } fragment A on User { friends { ...B } } fragment B on User { ...A email }'],
  ])('does not throw on %s', (_, query) => {
    const access = analyzeOperation(schema, index, parse(query));
    expect(() => authorizeOperation(access, anonymous)).not.toThrow();
  });
});
