// The requested cost and depth of operations against a small commerce schema, priced before execution.
import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { checkCost } from '../../src/graphql/cost/check-cost';
import { computeQueryCost } from '../../src/graphql/cost/query-cost';

const schema = buildSchema(`
  type Query {
    products(first: Int, last: Int, after: String): ProductConnection!
    product(id: ID!): Product
    search(term: String!): [SearchResult!]!
    node(id: ID!): Node
    shop: Shop!
  }
  type Mutation { productUpdate(id: ID!, title: String!): ProductUpdatePayload! }
  type Subscription { productUpdated: Product! }
  interface Node { id: ID! }
  union SearchResult = Product | Collection
  enum Status { ACTIVE DRAFT }
  type Shop { name: String! }
  type Product implements Node {
    id: ID! title: String! status: Status! tags: [String!]!
    variants(first: Int, last: Int): VariantConnection!
    collections: [Collection!]!
    related: [Product!]!
  }
  type Collection implements Node { id: ID! title: String! products(first: Int): ProductConnection! }
  type Variant implements Node { id: ID! sku: String! price: Float! }
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! totalCount: Int! }
  type ProductEdge { cursor: String! node: Product! }
  type VariantConnection { edges: [VariantEdge!]! nodes: [Variant!]! pageInfo: PageInfo! }
  type VariantEdge { cursor: String! node: Variant! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type ProductUpdatePayload { product: Product userErrors: [UserError!]! }
  type UserError { field: [String!] message: String! code: String }
`);

const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  computeQueryCost(schema, parse(query), variables, operationName).cost;
const depth = (query: string, variables: Record<string, unknown> = {}) =>
  computeQueryCost(schema, parse(query), variables).depth;

describe('computeQueryCost', () => {
  it('charges 1 per object and nothing for scalars and enums', () => {
    expect(cost('{ shop { name } }')).toBe(1);
    expect(cost('{ product(id: 1) { id title status tags } }')).toBe(1);
    expect(cost('{ shop { name } product(id: 1) { id } }')).toBe(2);
  });

  it('prices a connection at 2 plus first times the node cost', () => {
    expect(cost('{ products(first: 10) { edges { node { title } } } }')).toBe(12);
  });

  it('does not multiply edges, cursors, pageInfo or totalCount', () => {
    expect(cost(`{ products(first: 10) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { title } } nodes { id } } }`)).toBe(12);
    expect(cost('{ products(first: 10) { pageInfo { hasNextPage } } }')).toBe(2);
    expect(cost('{ products(first: 10) { edges { cursor } } }')).toBe(12);
  });

  it('multiplies nested connections', () => {
    // 2 + 10 × (product 1 + variants (2 + 5 × 1))
    expect(cost('{ products(first: 10) { nodes { title variants(first: 5) { nodes { sku } } } } }')).toBe(82);
  });

  it('assumes a page of 50 when neither first nor last is given, and uses last when given', () => {
    expect(cost('{ products { nodes { id } } }')).toBe(52);
    expect(cost('{ products(last: 3) { nodes { id } } }')).toBe(5);
  });

  it('costs a page size above the 250 cap as sent, so oversize pages are never cheap', () => {
    expect(cost('{ products(first: 1000) { nodes { id } } }')).toBe(1002);
  });

  it('reads first from variables, including variable defaults', () => {
    const q = 'query P($n: Int = 5) { products(first: $n) { nodes { id } } }';
    expect(cost(q, { n: 20 })).toBe(22);
    expect(cost(q)).toBe(7);
    expect(cost('query P($n: Int) { products(first: $n) { nodes { id } } }')).toBe(52);
  });

  it('expands named and inline fragments exactly like the inline selection', () => {
    const inline = '{ products(first: 4) { nodes { title variants(first: 2) { nodes { sku } } } } }';
    const named = `{ products(first: 4) { nodes { ...P } } }
      fragment P on Product { title ...V }
      fragment V on Product { variants(first: 2) { nodes { ... on Variant { sku } } } }`;
    expect(cost(named)).toBe(cost(inline));
    expect(cost(named)).toBe(2 + 4 * (1 + 2 + 2));
  });

  it('merges a field selected twice under one response key instead of charging it twice', () => {
    expect(cost('{ products(first: 10) { nodes { id } } products(first: 10) { nodes { title } } }')).toBe(12);
    expect(cost('{ a: products(first: 10) { nodes { id } } b: products(first: 10) { nodes { id } } }')).toBe(24);
  });

  it('leaves out selections removed by @skip and @include', () => {
    const q = `query P($withVariants: Boolean!) {
      products(first: 10) { nodes { id variants(first: 5) @include(if: $withVariants) { nodes { sku } } } } }`;
    expect(cost(q, { withVariants: true })).toBe(2 + 10 * (1 + 7));
    expect(cost(q, { withVariants: false })).toBe(12);
    expect(cost('{ shop @skip(if: true) { name } product(id: 1) { id } }')).toBe(1);
  });

  it('takes the most expensive possible type of a union or interface', () => {
    const union = `{ search(term: "x") {
      ... on Product { variants(first: 10) { nodes { id } } }
      ... on Collection { title } } }`;
    expect(cost(union)).toBe(1 + 12);
    const iface = '{ node(id: 1) { id ... on Collection { products(first: 3) { nodes { id } } } } }';
    expect(cost(iface)).toBe(1 + 5);
  });

  it('counts a list that is not a connection once per element type', () => {
    expect(cost('{ product(id: 1) { collections { title } } }')).toBe(2);
  });

  it('charges 10 per top-level mutation field plus the payload selections', () => {
    const one = 'mutation { productUpdate(id: 1, title: "x") { product { id } userErrors { message } } }';
    expect(cost(one)).toBe(10 + 2);
    const two = `mutation {
      a: productUpdate(id: 1, title: "x") { userErrors { message } }
      b: productUpdate(id: 2, title: "y") { userErrors { message } } }`;
    expect(cost(two)).toBe(22);
  });

  it('prices one subscription event like a query', () => {
    expect(cost('subscription { productUpdated { id variants(first: 3) { nodes { sku } } } }')).toBe(1 + 5);
  });

  it('makes introspection free so tooling keeps working', () => {
    expect(computeQueryCost(schema, parse(getIntrospectionQuery()), {})).toEqual({ cost: 0, depth: 0 });
    expect(cost('{ __typename __type(name: "Product") { name fields { name } } shop { name } }')).toBe(1);
  });

  it('prices the operation chosen by operationName', () => {
    const doc = 'query A { shop { name } } query B { products(first: 3) { nodes { id } } }';
    expect(cost(doc, {}, 'A')).toBe(1);
    expect(cost(doc, {}, 'B')).toBe(5);
  });

  it('prices a reused-fragment bomb quickly and astronomically instead of hanging', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) => i === levels - 1
      ? `fragment F${i} on Product { id }`
      : `fragment F${i} on Product { a: related { ...F${i + 1} } b: related { ...F${i + 1} } }`);
    const started = Date.now();
    const result = computeQueryCost(schema, parse(`{ product(id: 1) { ...F0 } } ${fragments.join('\n')}`), {});
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.cost).toBeGreaterThan(1e12);
    expect(result.depth).toBe(levels + 1); // product, 39 × related, id
  });
});

describe('query depth', () => {
  it('counts nested fields, not fragments', () => {
    expect(depth('{ shop { name } }')).toBe(2);
    expect(depth('{ products(first: 1) { edges { node { variants(first: 1) { edges { node { sku } } } } } } }')).toBe(7);
    expect(depth('{ ...Q } fragment Q on Query { shop { ... on Shop { name } } }')).toBe(2);
  });

  it('ignores skipped selections', () => {
    expect(depth('{ shop { name } product(id: 1) @skip(if: true) { collections { products { nodes { id } } } } }')).toBe(2);
  });
});

describe('checkCost', () => {
  const doc = parse('subscription { productUpdated { variants(first: 100) { nodes { sku } } } }');

  it('returns no errors for a document within the limits', () => {
    expect(checkCost(schema, doc, {}, { maxCost: 1000 })).toEqual([]);
  });

  it('returns MAX_COST_EXCEEDED with the numbers in the message', () => {
    const [error] = checkCost(schema, doc, {}, { maxCost: 50 });
    expect(error.extensions.code).toBe('MAX_COST_EXCEEDED');
    expect(error.message).toMatch(/^Query cost 103 exceeds the maximum of 50 per query; request fewer items with `first`/);
  });

  it('formats large costs with thousands separators', () => {
    const big = parse('{ products(first: 250) { nodes { variants(first: 9) { nodes { id } } } } }');
    expect(checkCost(schema, big)[0].message).toContain('Query cost 3,002 exceeds the maximum of 1,000');
  });

  it('returns MAX_DEPTH_EXCEEDED for nesting beyond maxDepth', () => {
    const [error] = checkCost(schema, doc, {}, { maxDepth: 3 });
    expect(error.extensions.code).toBe('MAX_DEPTH_EXCEEDED');
    expect(error.extensions.depth).toBe(4);
  });
});
