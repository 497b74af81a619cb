import { Anchor, Table } from '@mantine/core';
import { Link } from 'react-router';
import { formatMoney } from '../format';
import type { MoneyFieldsFragment } from '../graphql/generated';

/** A product line of a cart or an order. */
export interface LineItem {
  quantity: number;
  product: { id: string; name: string };
  unitPrice: MoneyFieldsFragment;
  lineTotal: MoneyFieldsFragment;
}

/** The lines of a cart or an order, read-only. */
export function LineItemsTable({ items }: { items: LineItem[] }) {
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Product</Table.Th>
            <Table.Th ta="right">Unit price</Table.Th>
            <Table.Th ta="right">Quantity</Table.Th>
            <Table.Th ta="right">Total</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.product.id}>
              <Table.Td>
                <Anchor component={Link} to={`/products/${item.product.id}`}>
                  {item.product.name}
                </Anchor>
              </Table.Td>
              <Table.Td ta="right">{formatMoney(item.unitPrice)}</Table.Td>
              <Table.Td ta="right">{item.quantity}</Table.Td>
              <Table.Td ta="right">{formatMoney(item.lineTotal)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
