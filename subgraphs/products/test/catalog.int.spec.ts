import { randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@minishop/db';
import { GraphQLError } from 'graphql';
import type { ProductConnection } from '../src/product-search';
import { ProductService } from '../src/service';
import type { ProductFilterInput } from '../src/validation';
import { catalogFixture, randomWord, type CatalogFixture } from './fixtures';

describe('catalog listing (Postgres full-text search, filters, keyset pagination)', () => {
  let prisma: PrismaClient;
  let fixture: CatalogFixture;
  let catalog: ProductService;

  beforeAll(() => {
    prisma = createPrismaClient(String(process.env.DATABASE_URL));
    fixture = catalogFixture(prisma);
    catalog = new ProductService(prisma);
  });

  afterAll(async () => {
    await fixture?.cleanup();
    await prisma?.$disconnect();
  });

  const ids = (page: ProductConnection) => page.edges.map((edge) => edge.node.id);

  /** Every page of a listing, `first` at a time; fails on a repeated or endless listing. */
  async function walk(filter: ProductFilterInput, first: number): Promise<string[]> {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages += 1) {
      const page: ProductConnection = await catalog.listProducts(filter, first, after);
      expect(page.edges.length).toBeLessThanOrEqual(first);
      seen.push(...ids(page));
      if (!page.pageInfo.hasNextPage) return seen;
      after = page.pageInfo.endCursor;
    }
    throw new Error('listing did not end');
  }

  async function inputError(run: () => Promise<unknown>): Promise<Record<string, unknown>> {
    const error = await run().then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions;
  }

  it('ranks a name match above a description match and leaves archived products out', async () => {
    const word = randomWord();
    const categoryId = await fixture.category('Search ranking');
    const inDescription = await fixture.product({ categoryId, name: 'Plain mug', description: `A ${word} inside` });
    const inName = await fixture.product({ categoryId, name: `${word} lamp`, description: 'Warm light' });
    await fixture.product({ categoryId, name: `${word} archived`, status: 'ARCHIVED' });
    await fixture.product({ categoryId, name: 'Unrelated', description: 'Nothing to see' });

    const page = await catalog.listProducts({ search: word }, 10);
    expect(ids(page)).toEqual([inName, inDescription]);
    expect(page.totalCount).toBe(2);
    expect(page.pageInfo.hasNextPage).toBe(false);

    // web-search syntax: a leading minus excludes
    const excluded = await catalog.listProducts({ search: `${word} -lamp` }, 10);
    expect(ids(excluded)).toEqual([inDescription]);
  });

  it('pages through a search without gaps or repeats, ties broken by id', async () => {
    const word = randomWord();
    const categoryId = await fixture.category('Search paging');
    const nameMatches = [];
    const descriptionMatches = [];
    // Identical documents rank identically, so the id tie-break decides inside each group.
    for (let i = 0; i < 3; i += 1) nameMatches.push(await fixture.product({ categoryId, name: `${word} bottle` }));
    for (let i = 0; i < 4; i += 1) {
      descriptionMatches.push(await fixture.product({ categoryId, name: 'Bottle', description: `${word} inside` }));
    }

    const all = await catalog.listProducts({ search: word }, 100);
    expect(all.totalCount).toBe(7);
    expect(ids(all)).toEqual([...nameMatches.sort(), ...descriptionMatches.sort()]);
    for (const first of [1, 2, 3]) {
      const walked = await walk({ search: word }, first);
      expect(walked).toEqual(ids(all));
    }
  });

  it('pages by name then id without a search, including duplicate names', async () => {
    const categoryId = await fixture.category('Name paging');
    const created = [];
    for (const name of ['Beta', 'Alpha', 'Beta', 'Gamma', 'Beta', 'Alpha']) {
      created.push({ name, id: await fixture.product({ categoryId, name }) });
    }
    const expected = created
      .sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1))
      .map((product) => product.id);

    const all = await catalog.listProducts({ categoryId }, 100);
    expect(ids(all)).toEqual(expected);
    expect(all.totalCount).toBe(6);
    expect(await walk({ categoryId }, 4)).toEqual(expected);
    expect(await walk({ categoryId }, 1)).toEqual(expected);
  });

  it('filters by a category including all its descendants', async () => {
    const root = await fixture.category('Subtree root');
    const child = await fixture.category('Subtree child', root);
    const grandchild = await fixture.category('Subtree grandchild', child);
    const sibling = await fixture.category('Subtree sibling root');
    const inRoot = await fixture.product({ categoryId: root, name: 'A in root' });
    const inChild = await fixture.product({ categoryId: child, name: 'B in child' });
    const inGrandchild = await fixture.product({ categoryId: grandchild, name: 'C in grandchild' });
    await fixture.product({ categoryId: sibling, name: 'D elsewhere' });

    expect(ids(await catalog.listProducts({ categoryId: root }, 10))).toEqual([inRoot, inChild, inGrandchild]);
    expect(ids(await catalog.listProducts({ categoryId: child }, 10))).toEqual([inChild, inGrandchild]);
    expect(ids(await catalog.listProducts({ categoryId: grandchild }, 10))).toEqual([inGrandchild]);
    for (const unknown of [randomUUID(), 'not-a-uuid']) {
      const page = await catalog.listProducts({ categoryId: unknown }, 10);
      expect(page).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 });
    }
  });

  it('filters by an inclusive price range and by availability', async () => {
    const categoryId = await fixture.category('Price and stock');
    const cheap = await fixture.product({ categoryId, name: 'A cheap', price: 500, stock: 3 });
    const middle = await fixture.product({ categoryId, name: 'B middle', price: 1000, stock: 5, reserved: 5 });
    const dear = await fixture.product({ categoryId, name: 'C dear', price: 1500, stock: 0 });

    const list = async (filter: Omit<ProductFilterInput, 'categoryId'>) =>
      ids(await catalog.listProducts({ ...filter, categoryId }, 10));
    expect(await list({ priceRange: { min: 1000 } })).toEqual([middle, dear]);
    expect(await list({ priceRange: { max: 1000 } })).toEqual([cheap, middle]);
    expect(await list({ priceRange: { min: 1000, max: 1000 } })).toEqual([middle]);
    expect(await list({ priceRange: { min: 501, max: 999 } })).toEqual([]);
    expect(await list({ inStock: true })).toEqual([cheap]);
    expect(await list({ inStock: false })).toEqual([middle, dear]);
    expect(await list({ inStock: false, priceRange: { min: 1200 } })).toEqual([dear]);

    const totals = await catalog.listProducts({ categoryId, inStock: false }, 1);
    expect(totals.totalCount).toBe(2);
    expect(totals.pageInfo.hasNextPage).toBe(true);
  });

  it('rejects bad arguments with BAD_USER_INPUT naming the field', async () => {
    expect(await inputError(() => catalog.listProducts(null, 0))).toMatchObject({ field: 'first' });
    expect(await inputError(() => catalog.listProducts(null, 101))).toMatchObject({ field: 'first' });
    expect(await inputError(() => catalog.listProducts({ priceRange: { min: 9, max: 1 } }, 5))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'priceRange',
    });
    expect(await inputError(() => catalog.listProducts(null, 5, 'garbage'))).toMatchObject({ field: 'after' });

    // A cursor only fits the ordering it came from.
    const searched = await catalog.listProducts({ search: 'coffee' }, 1);
    expect(searched.pageInfo.endCursor).toBeTruthy();
    expect(await inputError(() => catalog.listProducts(null, 5, searched.pageInfo.endCursor))).toMatchObject({
      field: 'after',
    });
  });

  it('answers an empty page for a search of stop words only', async () => {
    const page = await catalog.listProducts({ search: 'the and of' }, 10);
    expect(page.totalCount).toBe(0);
    expect(page.edges).toEqual([]);
  });
});
