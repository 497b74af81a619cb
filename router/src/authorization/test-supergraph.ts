import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { parse, type GraphQLSchema } from 'graphql';
import type { Grants } from './requirements';
import { stripSecurityPurpose } from './strip-security-purpose';

// Test fixtures for the authorization specs: small subgraphs composed the way schema/compose-supergraph.ts does.

/** Imports `@authenticated` renamed to `@signedIn`, to prove names come from the `@link`. */
const SHOP = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9",
  import: ["@key", {name: "@authenticated", as: "@signedIn"}, "@requiresScopes", "@policy", "@inaccessible"])

type Query {
  products: [Product!]!
  product(id: ID!): Product
  me: User @signedIn
  posts: [Post!]!
  media: [Media!]!
  search: [SearchResult!]!
  adminStats: Stats @requiresScopes(scopes: [["admin:read", "stats:read"], ["root"]])
  secret: Secret
  level: Level
  internal: String @inaccessible
}
type Mutation {
  createProduct(name: String!): Product @requiresScopes(scopes: [["catalog:write"]])
  ping: String
}
type Product @key(fields: "id") {
  id: ID!
  name: String!
  cost: Int @requiresScopes(scopes: [["catalog:read"]])
  supplier: Supplier
}
type Supplier @policy(policies: [["supplier.read"], ["admin"]]) { name: String }
type User @key(fields: "id") {
  id: ID!
  name: String
  email: String @policy(policies: [["self", "pii"]])
  friends: [User!]!
}
type Stats { orders: Int }
scalar Secret @requiresScopes(scopes: [["secret"]])
enum Level @signedIn { LOW HIGH }

"A draft needs a signed-in caller: composition copies that onto Post."
interface Post { id: ID! title: String! }
type PublicPost implements Post { id: ID! title: String! }
type DraftPost implements Post @signedIn { id: ID! title: String! }

"Only Video.url has a policy: composition copies it onto Media.url."
interface Media { id: ID! url: String }
type Image implements Media { id: ID! url: String }
type Video implements Media { id: ID! url: String @policy(policies: [["video.watch"]]) }

union SearchResult = Product | Report
type Report @requiresScopes(scopes: [["reports"]]) { title: String }
`;

const INVENTORY = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@policy"])

type Product @key(fields: "id") {
  id: ID!
  stock: Int @policy(policies: [["inventory.read"]])
}
`;

export function composeTestSupergraph(): string {
  const subgraphs = { shop: SHOP, inventory: INVENTORY };
  const result = composeServices(
    Object.entries(subgraphs).map(([name, sdl]) => ({ name, url: `http://${name}.test`, typeDefs: parse(sdl) })),
  );
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
}

/** The API schema the gateway serves for a supergraph (what the router validates and analyzes against). */
export async function loadApiSchema(supergraphSdl: string): Promise<GraphQLSchema> {
  const gateway = new ApolloGateway({ supergraphSdl: stripSecurityPurpose(supergraphSdl) });
  try {
    return (await gateway.load()).schema;
  } finally {
    await gateway.stop();
  }
}

export const anonymous: Grants = { authenticated: false, anonymous: true, scopes: new Set(), policies: {} };

export const user = (scopes: string[] = [], policies: Record<string, boolean> = {}): Grants => ({
  authenticated: true,
  anonymous: false,
  scopes: new Set(scopes),
  policies,
});

export const partner = (policies: Record<string, boolean> = {}): Grants => ({
  authenticated: false,
  anonymous: false,
  scopes: new Set(),
  policies,
});
