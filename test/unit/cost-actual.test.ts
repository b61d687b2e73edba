// The actual cost of a response: what it really contained, never more than was requested.
import { buildSchema, graphql, parse } from 'graphql';
import { computeActualCost } from '../../src/graphql/cost/actual-cost';
import { computeQueryCost } from '../../src/graphql/cost/query-cost';

const schema = buildSchema(`
  type Query { products(first: Int): ProductConnection! product(id: ID!): Product search: [SearchResult!]! }
  type Mutation { productDelete(id: ID!): ProductDeletePayload! }
  union SearchResult = Product | Collection
  type Product { id: ID! title: String! variants(first: Int): VariantConnection! }
  type Collection { id: ID! products(first: Int): ProductConnection! }
  type Variant { id: ID! sku: String! }
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }
  type ProductEdge { cursor: String! node: Product! }
  type VariantConnection { nodes: [Variant!]! pageInfo: PageInfo! }
  type PageInfo { hasNextPage: Boolean! }
  type ProductDeletePayload { deletedId: ID userErrors: [String!]! }
`);

const actual = (query: string, data: unknown, variables: Record<string, unknown> = {}) =>
  computeActualCost(schema, parse(query), variables, data);
const requested = (query: string) => computeQueryCost(schema, parse(query), {}).cost;

const products = (n: number, variantsEach: number) => Array.from({ length: n }, (_, i) => ({
  id: String(i), variants: { nodes: Array.from({ length: variantsEach }, (_, j) => ({ sku: `${i}-${j}` })) },
}));

describe('computeActualCost', () => {
  const query = '{ products(first: 10) { nodes { id variants(first: 5) { nodes { sku } } } } }';

  it('prices connections by the items they returned', () => {
    expect(requested(query)).toBe(2 + 10 * (1 + 7));
    // 2 + 3 × (product 1 + variants (2 + 2 × 1))
    expect(actual(query, { products: { nodes: products(3, 2) } })).toBe(2 + 3 * 5);
    expect(actual(query, { products: { nodes: [] } })).toBe(2);
  });

  it('agrees with the requested cost when every page is full', () => {
    expect(actual(query, { products: { nodes: products(10, 5) } })).toBe(requested(query));
  });

  it('counts an item once when it was fetched both through edges and nodes', () => {
    const q = '{ products(first: 10) { edges { cursor node { id } } nodes { id } } }';
    const page = [{ id: '1' }, { id: '2' }];
    expect(actual(q, { products: { edges: page.map((node) => ({ cursor: 'c', node })), nodes: page } })).toBe(4);
  });

  it('charges nothing for null objects', () => {
    expect(actual('{ product(id: 1) { id variants { nodes { id } } } }', { product: null })).toBe(0);
  });

  it('uses __typename to pick the union member that came back', () => {
    const q = `{ search { __typename
      ... on Product { variants(first: 20) { nodes { id } } }
      ... on Collection { id } } }`;
    expect(requested(q)).toBe(1 + 22);
    expect(actual(q, { search: [{ __typename: 'Collection', id: '1' }] })).toBe(1);
    expect(actual(q, { search: [{ __typename: 'Product', variants: { nodes: [{ id: '1' }] } }] })).toBe(1 + 3);
  });

  it('charges a mutation that ran 10 even when its payload is small', () => {
    const q = 'mutation { productDelete(id: 1) { deletedId userErrors } }';
    expect(actual(q, { productDelete: { deletedId: '1', userErrors: [] } })).toBe(10);
  });

  it('is 0 when nothing executed and the requested cost when an error nulled the whole response', () => {
    expect(actual(query, undefined)).toBe(0);
    expect(actual(query, null)).toBe(requested(query));
  });

  it('prices a real execution result by its shape', async () => {
    const rootValue = { products: () => ({ nodes: products(4, 1) }) };
    const result = await graphql({ schema, source: query, rootValue });
    expect(result.errors).toBeUndefined();
    expect(actual(query, result.data)).toBe(2 + 4 * (1 + 3));
  });
});
