import { Anchor, Table } from '@mantine/core';
import type { ReactNode } from 'react';
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

/**
 * The lines of a cart or an order: read-only, or with an editable quantity (`quantity`) and a last
 * column of actions (`actions`), as the cart page shows them.
 */
export function LineItemsTable<Item extends LineItem>({
  items,
  quantity,
  actions,
}: {
  items: Item[];
  quantity?: (item: Item) => ReactNode;
  actions?: (item: Item) => ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={actions ? 620 : 480}>
      <Table verticalSpacing={actions ? 'sm' : undefined}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Product</Table.Th>
            <Table.Th ta="right">Unit price</Table.Th>
            <Table.Th ta="right">Quantity</Table.Th>
            <Table.Th ta="right">Total</Table.Th>
            {actions && <Table.Th />}
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
              {quantity ? <Table.Td>{quantity(item)}</Table.Td> : <Table.Td ta="right">{item.quantity}</Table.Td>}
              <Table.Td ta="right">{formatMoney(item.lineTotal)}</Table.Td>
              {actions && <Table.Td ta="right">{actions(item)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
