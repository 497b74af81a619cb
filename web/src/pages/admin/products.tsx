import { useMutation, useQuery } from '@apollo/client/react';
import { Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { PageButtons, useCursorPages } from '../../components/page-buttons';
import { Empty, QueryState } from '../../components/status';
import { formatMoney } from '../../format';
import {
  AdminProductsDocument,
  ArchiveProductDocument,
  type AdminProductFieldsFragment,
} from '../../graphql/generated';
import { isAdmin, useSession } from '../../session';
import { AdjustStockButton } from './adjust-stock';
import { ModalButton, ModalForm, notifySuccess } from './modal';
import { ProductForm } from './product-form';
import { StatusBadge } from './status-badge';

const PAGE_SIZE = 20;

type Product = AdminProductFieldsFragment;

function ArchiveForm({ product, onDone }: { product: Product; onDone: () => void }) {
  const [archive, { loading, error }] = useMutation(ArchiveProductDocument, {
    refetchQueries: [AdminProductsDocument],
  });
  const submit = async () => {
    const { data } = await archive({ variables: { id: product.id } }).catch(() => ({ data: undefined }));
    if (!data) return;
    notifySuccess(`${product.name} archived`);
    onDone();
  };
  return (
    <ModalForm submitLabel="Archive product" onSubmit={submit} onCancel={onDone} loading={loading} error={error} danger>
      <Text size="sm">
        {product.name} ({product.sku}) will be withdrawn from sale. Past orders and carts keep showing it.
      </Text>
    </ModalForm>
  );
}

function ProductRow({ product, canEdit, onChanged }: { product: Product; canEdit: boolean; onChanged: () => void }) {
  return (
    <Table.Tr>
      <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
        {product.sku}
      </Table.Td>
      <Table.Td>{product.name}</Table.Td>
      <Table.Td>{product.category.name}</Table.Td>
      <Table.Td ta="right">{formatMoney(product.price)}</Table.Td>
      <Table.Td ta="right">{product.available}</Table.Td>
      <Table.Td>
        <StatusBadge color={product.status === 'ACTIVE' ? 'teal' : 'gray'}>{product.status}</StatusBadge>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          {canEdit && (
            <ModalButton
              size="xs"
              variant="default"
              aria-label={`Edit ${product.name}`}
              modalTitle={`Edit ${product.name}`}
              modal={(close) => <ProductForm product={product} onDone={close} />}
            >
              Edit
            </ModalButton>
          )}
          <AdjustStockButton product={product} onAdjusted={onChanged} />
          {canEdit && (
            <ModalButton
              size="xs"
              variant="light"
              color="red"
              aria-label={`Archive ${product.name}`}
              modalTitle={`Archive ${product.name}?`}
              modal={(close) => <ArchiveForm product={product} onDone={close} />}
            >
              Archive
            </ModalButton>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** The active catalog with stock. Editing it needs catalog:write (ADMIN); OPS only adjusts stock. */
export function ProductsPage() {
  const canEdit = isAdmin(useSession());
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 300);
  const pages = useCursorPages(query);
  const products = useQuery(AdminProductsDocument, {
    variables: { filter: query ? { search: query } : {}, first: PAGE_SIZE, after: pages.after },
  });

  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>Products</Title>
        {canEdit && (
          <ModalButton modalTitle="New product" modal={(close) => <ProductForm onDone={close} />}>
            New product
          </ModalButton>
        )}
      </Group>
      <TextInput
        label="Search"
        placeholder="Name, SKU or description"
        type="search"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={420}
      />
      <QueryState result={products}>
        {({ products: page }) =>
          page.edges.length === 0 ? (
            <Empty>{query ? 'No products match this search.' : 'There are no products yet.'}</Empty>
          ) : (
            <Stack>
              <Text size="sm" c="dimmed" aria-live="polite">
                {page.totalCount} products · page {pages.number}
              </Text>
              <Table.ScrollContainer minWidth={1000}>
                <Table striped highlightOnHover verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>SKU</Table.Th>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Category</Table.Th>
                      <Table.Th ta="right">Price</Table.Th>
                      <Table.Th ta="right">Available</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Actions</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.edges.map(({ node }) => (
                      <ProductRow
                        key={node.id}
                        product={node}
                        canEdit={canEdit}
                        onChanged={() => void products.refetch().catch(() => undefined)}
                      />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <PageButtons pages={pages} pageInfo={page.pageInfo} />
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
