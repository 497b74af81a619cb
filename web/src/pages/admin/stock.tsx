import { useQuery } from '@apollo/client/react';
import { NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Empty, QueryState } from '../../components/status';
import { formatDate } from '../../format';
import { LowStockProductsDocument, type LowStockProductsQuery } from '../../graphql/generated';
import { AdjustStockButton } from './adjust-stock';

const DEFAULT_THRESHOLD = 5;

type Adjustment = NonNullable<LowStockProductsQuery['lowStockProducts'][number]['stockHistory']>[number];

function Adjustments({ history }: { history: Adjustment[] | null }) {
  if (!history?.length)
    return (
      <Text size="xs" c="dimmed">
        None recorded
      </Text>
    );
  return (
    <Stack gap={2}>
      {history.map((adjustment) => (
        <Text key={adjustment.id} size="xs">
          <Text span fw={700} c={adjustment.delta > 0 ? 'teal' : 'red'}>
            {adjustment.delta > 0 ? `+${adjustment.delta}` : adjustment.delta}
          </Text>{' '}
          {adjustment.reason} · {adjustment.actor.name} · {formatDate(adjustment.createdAt)}
        </Text>
      ))}
    </Stack>
  );
}

export function StockPage() {
  const [input, setInput] = useState<number | string>(DEFAULT_THRESHOLD);
  // While the field is empty or being typed in, the list stays on the last whole number entered.
  const [threshold, setThreshold] = useState(DEFAULT_THRESHOLD);
  const [debounced] = useDebouncedValue(threshold, 300);
  const products = useQuery(LowStockProductsDocument, { variables: { threshold: debounced } });

  return (
    <Stack>
      <Title order={2}>Low stock</Title>
      <NumberInput
        label="Threshold"
        description="Products with at most this many units available"
        min={0}
        allowNegative={false}
        allowDecimal={false}
        value={input}
        onChange={(value) => {
          setInput(value);
          if (typeof value === 'number') setThreshold(value);
        }}
        maw={260}
      />
      <QueryState result={products}>
        {({ lowStockProducts }) =>
          lowStockProducts.length === 0 ? (
            <Empty>No product is at or below {debounced} units.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={820}>
              <Table striped verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>SKU</Table.Th>
                    <Table.Th ta="right">Available</Table.Th>
                    <Table.Th>Last adjustments</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {lowStockProducts.map((product) => (
                    <Table.Tr key={product.id}>
                      <Table.Td>{product.name}</Table.Td>
                      <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                        {product.sku}
                      </Table.Td>
                      <Table.Td ta="right" fw={700} c={product.available === 0 ? 'red' : undefined}>
                        {product.available}
                      </Table.Td>
                      <Table.Td>
                        <Adjustments history={product.stockHistory} />
                      </Table.Td>
                      <Table.Td>
                        <AdjustStockButton
                          product={product}
                          onAdjusted={() => void products.refetch().catch(() => undefined)}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Stack>
  );
}
