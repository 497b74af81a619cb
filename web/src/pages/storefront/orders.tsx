import { useQuery } from '@apollo/client/react';
import { Anchor, Select, Stack, Table, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { MoreButton, appendPage } from '../../components/more-button';
import { ORDER_STATUSES, OrderStatusBadge, orderNumber } from '../../components/order';
import { Empty, QueryState } from '../../components/status';
import { formatDate, formatMoney } from '../../format';
import { MyOrdersDocument, type MyOrdersQuery } from '../../graphql/generated';

const PAGE_SIZE = 20;
const ALL = 'ALL';

type OrderRow = NonNullable<NonNullable<MyOrdersQuery['me']>['orders']>['edges'][number]['node'];

function itemsSummary(items: OrderRow['items']): string {
  return items.map((item) => `${item.quantity} × ${item.product.name}`).join(', ');
}

function OrdersTable({ orders }: { orders: OrderRow[] }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" data-testid="order-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Order</Table.Th>
            <Table.Th>Placed</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Total</Table.Th>
            <Table.Th>Items</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orders.map((order) => (
            <Table.Tr key={order.id} style={{ whiteSpace: 'nowrap' }}>
              <Table.Td>
                <Anchor component={Link} to={`/orders/${order.id}`} ff="monospace">
                  {orderNumber(order.id)}
                </Anchor>
              </Table.Td>
              <Table.Td>{formatDate(order.placedAt)}</Table.Td>
              <Table.Td>
                <OrderStatusBadge status={order.status} />
              </Table.Td>
              <Table.Td ta="right">{formatMoney(order.total)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'normal' }}>{itemsSummary(order.items)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function OrdersPage() {
  // The filter lives in the URL (?status=PAID), so it survives reloads and back.
  const [params, setParams] = useSearchParams();
  const status = ORDER_STATUSES.find((option) => option.value === params.get('status'))?.value ?? null;
  const result = useQuery(MyOrdersDocument, { variables: { first: PAGE_SIZE, status } });
  const loadMore = (after: string) =>
    result.fetchMore({
      variables: { after },
      updateQuery: (shown, { fetchMoreResult: next }) =>
        shown.me?.orders && next.me?.orders
          ? { me: { ...shown.me, orders: appendPage(shown.me.orders, next.me.orders) } }
          : shown,
    });

  return (
    <Stack>
      <Title order={1}>Your orders</Title>
      <Select
        label="Status"
        data={[{ value: ALL, label: 'All' }, ...ORDER_STATUSES]}
        value={status ?? ALL}
        onChange={(value) => setParams(value && value !== ALL ? { status: value } : {})}
        allowDeselect={false}
        maw={220}
      />
      <QueryState result={result}>
        {({ me }) => {
          const orders = me?.orders;
          if (!orders || orders.edges.length === 0)
            return <Empty>{status ? 'You have no orders with this status.' : 'You have no orders yet.'}</Empty>;
          return (
            <Stack>
              <OrdersTable orders={orders.edges.map(({ node }) => node)} />
              <MoreButton pageInfo={orders.pageInfo} load={loadMore}>
                More orders
              </MoreButton>
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}
