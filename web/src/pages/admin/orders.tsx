import type { TypedDocumentNode } from '@apollo/client';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Anchor, Button, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { appendPage, MoreButton } from '../../components/more-button';
import { ORDER_STATUSES, orderNumber, OrderStatusBadge, statusLabel } from '../../components/order';
import { Empty, QueryState } from '../../components/status';
import { errorCode } from '../../errors';
import { formatDate, formatMoney } from '../../format';
import {
  AdminOrdersDocument,
  OrderDetailDocument,
  StaffOrdersDocument,
  UpdateOrderStatusDocument,
  type OrderStatus,
  type StaffOrdersQuery,
  type StaffOrdersQueryVariables,
} from '../../graphql/generated';
import { isAdmin, useSession } from '../../session';
import { InlineError } from './inline-error';
import { notifySuccess } from './modal';

const PAGE_SIZE = 20;
const ALL = 'ALL';
/** The fulfilment steps this screen offers; the server refuses any move it does not allow (CONFLICT). */
const NEXT_STEP: Partial<Record<OrderStatus, { status: OrderStatus; label: string }>> = {
  PAID: { status: 'SHIPPED', label: 'Mark shipped' },
  SHIPPED: { status: 'DELIVERED', label: 'Mark delivered' },
};

type Order = StaffOrdersQuery['orders']['edges'][number]['node'];

/** AdminOrders is StaffOrders plus each customer's email, which only admins may read. */
function customerEmail(order: Order): string | null {
  return 'email' in order.user && typeof order.user.email === 'string' ? order.user.email : null;
}

function OrderRow({ order }: { order: Order }) {
  const client = useApolloClient();
  const [updateStatus, { loading, error }] = useMutation(UpdateOrderStatusDocument);
  const next = NEXT_STEP[order.status];
  const number = orderNumber(order.id);

  const move = async (status: OrderStatus) => {
    const { data } = await updateStatus({ variables: { orderId: order.id, status } }).catch((failure: unknown) => {
      // Someone moved the order first: re-read it so the row shows where it is now, next to the refusal.
      if (errorCode(failure) === 'CONFLICT')
        void client
          .query({ query: OrderDetailDocument, variables: { id: order.id }, fetchPolicy: 'network-only' })
          .catch(() => undefined);
      return { data: undefined };
    });
    if (data) notifySuccess(`Order ${number} is now ${statusLabel(data.updateOrderStatus.status).toLowerCase()}`);
  };

  return (
    <Table.Tr data-order-id={order.id}>
      <Table.Td>
        <Anchor component={Link} to={`/orders/${order.id}`} ff="monospace" title={order.id}>
          {number}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{order.user.name}</Text>
        <Text size="xs" c="dimmed">
          {customerEmail(order)}
        </Text>
      </Table.Td>
      <Table.Td>{formatDate(order.placedAt)}</Table.Td>
      <Table.Td>
        <OrderStatusBadge status={order.status} testId="order-status" />
      </Table.Td>
      <Table.Td ta="right">{formatMoney(order.total)}</Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          {next && (
            <Button size="xs" variant="light" loading={loading} onClick={() => void move(next.status)}>
              {next.label}
            </Button>
          )}
          <InlineError error={error} />
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

export function OrdersPage() {
  const [status, setStatus] = useState<OrderStatus | null>(null);
  // Only admins may read customers' emails; OPS lists the same orders without them.
  const document: TypedDocumentNode<StaffOrdersQuery, StaffOrdersQueryVariables> = isAdmin(useSession())
    ? AdminOrdersDocument
    : StaffOrdersDocument;
  const orders = useQuery(document, { variables: { status, first: PAGE_SIZE } });

  return (
    <Stack>
      <Title order={2}>Orders</Title>
      <Select
        label="Status"
        data={[{ value: ALL, label: 'All' }, ...ORDER_STATUSES]}
        value={status ?? ALL}
        onChange={(value) => setStatus(ORDER_STATUSES.find((option) => option.value === value)?.value ?? null)}
        allowDeselect={false}
        maw={260}
      />
      <QueryState result={orders}>
        {({ orders: page }) =>
          page.edges.length === 0 ? (
            <Empty>{status ? `No ${statusLabel(status).toLowerCase()} orders.` : 'There are no orders yet.'}</Empty>
          ) : (
            <Stack>
              <Table.ScrollContainer minWidth={960}>
                <Table striped verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Order</Table.Th>
                      <Table.Th>Customer</Table.Th>
                      <Table.Th>Placed</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th ta="right">Total</Table.Th>
                      <Table.Th>Actions</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.edges.map(({ node }) => (
                      <OrderRow key={node.id} order={node} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <MoreButton
                pageInfo={page.pageInfo}
                load={(after) =>
                  orders.fetchMore({
                    variables: { after },
                    updateQuery: (shown, { fetchMoreResult }) => ({
                      orders: appendPage(shown.orders, fetchMoreResult.orders),
                    }),
                  })
                }
              >
                More orders
              </MoreButton>
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
