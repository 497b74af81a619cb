import { useQuery } from '@apollo/client/react';
import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useCategoryOptions } from '../../components/category-options';
import { PageButtons, useCursorPages } from '../../components/page-buttons';
import { ProductCard } from '../../components/product-card';
import { Empty, QueryState } from '../../components/status';
import { toMinorUnits } from '../../format';
import { ProductsDocument, type ProductFilter } from '../../graphql/generated';

const PAGE_SIZE = 12;

/** The catalog's filters live in the URL (?q=&category=&min=&max=), so they survive reloads and back. */
function filterFrom(params: URLSearchParams): ProductFilter {
  const min = toMinorUnits(params.get('min') ?? '');
  const max = toMinorUnits(params.get('max') ?? '');
  return {
    ...(params.get('q') ? { search: params.get('q') } : {}),
    ...(params.get('category') ? { categoryId: params.get('category') } : {}),
    ...(min !== null || max !== null
      ? { priceRange: { ...(min !== null ? { min } : {}), ...(max !== null ? { max } : {}) } }
      : {}),
  };
}

function Filters() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [min, setMin] = useState(params.get('min') ?? '');
  const [max, setMax] = useState(params.get('max') ?? '');
  const categories = useCategoryOptions();
  const priceError = (value: string) => (value && toMinorUnits(value) === null ? 'Enter an amount like 12.50' : null);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (priceError(min) || priceError(max)) return;
    const next = new URLSearchParams();
    for (const [name, value] of [
      ['q', search.trim()],
      ['category', params.get('category') ?? ''],
      ['min', min],
      ['max', max],
    ]) {
      if (value) next.set(name as string, value as string);
    }
    setParams(next);
  };

  return (
    <form onSubmit={apply} role="search" aria-label="Catalog">
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Name or description"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: 2, minWidth: 200 }}
        />
        <Select
          label="Category"
          placeholder="All categories"
          data={categories.options}
          value={params.get('category')}
          onChange={(value) => {
            const next = new URLSearchParams(params);
            if (value) next.set('category', value);
            else next.delete('category');
            setParams(next);
          }}
          clearable
          searchable
          disabled={categories.loading}
          style={{ flex: 1, minWidth: 180 }}
        />
        <TextInput
          label="Min price"
          inputMode="decimal"
          value={min}
          error={priceError(min)}
          onChange={(e) => setMin(e.currentTarget.value)}
          w={110}
        />
        <TextInput
          label="Max price"
          inputMode="decimal"
          value={max}
          error={priceError(max)}
          onChange={(e) => setMax(e.currentTarget.value)}
          w={110}
        />
        <Button type="submit">Search</Button>
      </Group>
    </form>
  );
}

export function CatalogPage() {
  const [params] = useSearchParams();
  const filter = filterFrom(params);
  const pages = useCursorPages(params.toString());
  const products = useQuery(ProductsDocument, { variables: { filter, first: PAGE_SIZE, after: pages.after } });

  return (
    <Stack>
      <Title order={1}>Shop</Title>
      <Filters />
      <QueryState result={products}>
        {({ products: page }) =>
          page.edges.length === 0 ? (
            <Empty>No products match these filters.</Empty>
          ) : (
            <Stack>
              <Text size="sm" c="dimmed" aria-live="polite">
                {page.totalCount} products · page {pages.number}
              </Text>
              <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} data-testid="product-list">
                {page.edges.map(({ node }) => (
                  <ProductCard key={node.id} product={node} category={node.category.name} />
                ))}
              </SimpleGrid>
              <PageButtons pages={pages} pageInfo={page.pageInfo} />
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
