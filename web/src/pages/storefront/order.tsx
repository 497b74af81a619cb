import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { LineItemsTable } from '../../components/line-items-table';
import { onSocketReconnected } from '../../graphql/client';
import { MoneyLine } from '../../components/money-line';
import { OrderStatusBadge, orderNumber, statusLabel } from '../../components/order';
import { Empty, ErrorNotice, QueryState } from '../../components/status';
import { formatDate, formatMoney } from '../../format';
import {
  CancelOrderDocument,
  OrderDetailDocument,
  OrderStatusDocument,
  PayOrderDocument,
  type OrderDetailFieldsFragment,
  type PaymentOutcome,
} from '../../graphql/generated';

const OUTCOMES: Record<PaymentOutcome, string> = {
  SUCCEEDED: 'Succeeded',
  DECLINED: 'Declined',
  INSUFFICIENT_FUNDS: 'Insufficient funds',
  TIMED_OUT: 'Timed out',
};

/** A refused payment is an answer, not an error: the order stays payable. */
const REFUSALS: Record<Exclude<PaymentOutcome, 'SUCCEEDED'>, string> = {
  DECLINED: 'Your card was declined. No money was taken; you can try another card.',
  INSUFFICIENT_FUNDS: 'Your card has insufficient funds. No money was taken; you can try another card.',
  TIMED_OUT: 'The payment provider timed out. Please try again.',
};

interface CardFields {
  cardNumber: string;
  expiryMonth: string;
  expiryYear: string;
  cvc: string;
}

const NO_CARD: CardFields = { cardNumber: '', expiryMonth: '', expiryYear: '', cvc: '' };

function cardErrors(card: CardFields): Record<keyof CardFields, string | null> {
  const month = Number(card.expiryMonth);
  return {
    cardNumber: /^\d{12,19}$/.test(card.cardNumber.replace(/\s/g, ''))
      ? null
      : 'Enter the 12 to 19 digits of your card',
    expiryMonth:
      /^\d{1,2}$/.test(card.expiryMonth.trim()) && month >= 1 && month <= 12 ? null : 'Enter a month, 1 to 12',
    expiryYear: /^\d{4}$/.test(card.expiryYear.trim()) ? null : 'Enter the year with four digits, e.g. 2030',
    cvc: /^\d{3,4}$/.test(card.cvc.trim()) ? null : 'Enter the 3 or 4 digits on the back of the card',
  };
}

function PaymentForm({ orderId }: { orderId: string }) {
  const [card, setCard] = useState(NO_CARD);
  const [attempted, setAttempted] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  // The payment attempt joins the order's payments and history.
  const [payOrder, { loading, error }] = useMutation(PayOrderDocument, { refetchQueries: [OrderDetailDocument] });
  const errors = cardErrors(card);
  const field = (name: keyof CardFields) => ({
    value: card[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) => setCard({ ...card, [name]: event.currentTarget.value }),
    error: attempted ? errors[name] : null,
    required: true,
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    setRefusal(null);
    if (Object.values(errors).some(Boolean)) return;
    const payment = {
      cardNumber: card.cardNumber,
      expiryMonth: Number(card.expiryMonth),
      expiryYear: Number(card.expiryYear),
      cvc: card.cvc.trim(),
    };
    const { data } = await payOrder({ variables: { orderId, payment } }).catch(() => ({ data: undefined }));
    const outcome = data?.payOrder.payment.outcome;
    if (outcome === 'SUCCEEDED') notifications.show({ color: 'teal', message: 'Payment received' });
    else if (outcome) setRefusal(REFUSALS[outcome]);
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Payment">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Pay for this order
        </Title>
        {refusal && (
          <Alert color="red" role="alert" title="Payment not taken">
            {refusal}
          </Alert>
        )}
        {error && <ErrorNotice error={error} />}
        <TextInput
          label="Card number"
          placeholder="4242 4242 4242 4242"
          inputMode="numeric"
          autoComplete="cc-number"
          {...field('cardNumber')}
        />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Expiry month"
            placeholder="MM"
            inputMode="numeric"
            autoComplete="cc-exp-month"
            {...field('expiryMonth')}
          />
          <TextInput
            label="Expiry year"
            placeholder="YYYY"
            inputMode="numeric"
            autoComplete="cc-exp-year"
            {...field('expiryYear')}
          />
        </SimpleGrid>
        <TextInput label="CVC" inputMode="numeric" autoComplete="cc-csc" maw={120} {...field('cvc')} />
        <Button type="submit" loading={loading}>
          Pay now
        </Button>
      </Stack>
    </form>
  );
}

function CancelOrder({ orderId }: { orderId: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [cancelOrder, { loading, error, reset }] = useMutation(CancelOrderDocument);
  const missing = !reason.trim();

  const dismiss = () => {
    close();
    reset();
    setAttempted(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (missing) return;
    const { data } = await cancelOrder({ variables: { orderId, reason: reason.trim() } }).catch(() => ({
      data: undefined,
    }));
    if (!data) return;
    notifications.show({ message: 'Order cancelled' });
    setReason('');
    dismiss();
  };

  return (
    <>
      <Button variant="light" color="red" onClick={open}>
        Cancel order
      </Button>
      <Modal opened={opened} onClose={dismiss} title="Cancel this order?">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm">The items go back to stock and any coupon can be used again.</Text>
            {error && <ErrorNotice error={error} />}
            <TextInput
              label="Reason"
              required
              data-autofocus
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={attempted && missing ? 'Tell us why you cancel' : null}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={dismiss}>
                Keep order
              </Button>
              <Button type="submit" color="red" loading={loading}>
                Confirm cancellation
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function HistoryTable({ history }: { history: OrderDetailFieldsFragment['history'] }) {
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Change</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>When</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.map((change) => (
            <Table.Tr key={`${change.at}:${change.to}`}>
              <Table.Td>
                {change.from ? `${statusLabel(change.from)} → ${statusLabel(change.to)}` : statusLabel(change.to)}
              </Table.Td>
              <Table.Td>{change.reason ?? '—'}</Table.Td>
              <Table.Td>{formatDate(change.at)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PaymentsTable({ payments }: { payments: OrderDetailFieldsFragment['payments'] }) {
  if (payments.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No payments yet.
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Card</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>When</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {payments.map((payment) => (
            <Table.Tr key={payment.id}>
              <Table.Td>{OUTCOMES[payment.outcome]}</Table.Td>
              <Table.Td>•••• {payment.cardLast4}</Table.Td>
              <Table.Td ta="right">{formatMoney(payment.amount)}</Table.Td>
              <Table.Td>{formatDate(payment.at)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function OrderDetail({ order, live }: { order: OrderDetailFieldsFragment; live: boolean }) {
  const payable = order.status === 'PENDING';
  const cancellable = order.status === 'PENDING' || order.status === 'PAID';
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>Order {orderNumber(order.id)}</Title>
        <Group gap="xs">
          <OrderStatusBadge status={order.status} testId="order-status" />
          {live ? (
            <Badge variant="dot" color="green" title="Status changes appear here as they happen">
              Live
            </Badge>
          ) : (
            <Badge variant="dot" color="gray" title="Reload to see the latest status">
              Not live
            </Badge>
          )}
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        Placed {formatDate(order.placedAt)}
      </Text>
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 8 }} order={{ base: 2, md: 1 }}>
          <Stack gap="lg">
            <Section title="Items">
              <LineItemsTable items={order.items} />
            </Section>
            <Section title="Status history">
              <HistoryTable history={order.history} />
            </Section>
            <Section title="Payments">
              <PaymentsTable payments={order.payments} />
            </Section>
          </Stack>
        </Grid.Col>
        {/* On phones the totals and the payment form come first. */}
        <Grid.Col span={{ base: 12, md: 4 }} order={{ base: 1, md: 2 }}>
          <Stack>
            <Paper withBorder p="md">
              <Stack gap="xs">
                <MoneyLine label="Subtotal" money={order.subtotal} />
                {order.discount.amount > 0 && (
                  <MoneyLine
                    label={order.couponCode ? `Discount (${order.couponCode})` : 'Discount'}
                    money={order.discount}
                    deducted
                  />
                )}
                <MoneyLine label="Total" money={order.total} strong testId="order-total" />
              </Stack>
            </Paper>
            {payable && (
              <Paper withBorder p="md">
                <PaymentForm orderId={order.id} />
              </Paper>
            )}
            {cancellable && <CancelOrder orderId={order.id} />}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/**
 * Missed status changes are not replayed: re-read the order when the socket reconnects, when the tab
 * becomes visible again and when the network comes back.
 */
function useRefetchOnReturn(refetch: () => Promise<unknown>) {
  useEffect(() => {
    const again = () => {
      if (document.visibilityState === 'visible') void refetch().catch(() => undefined);
    };
    const stopFollowingSocket = onSocketReconnected(again);
    document.addEventListener('visibilitychange', again);
    window.addEventListener('online', again);
    return () => {
      stopFollowingSocket();
      document.removeEventListener('visibilitychange', again);
      window.removeEventListener('online', again);
    };
  }, [refetch]);
}

export function OrderPage() {
  const { id = '' } = useParams();
  const result = useQuery(OrderDetailDocument, { variables: { id } });
  const exists = Boolean(result.data?.order);
  // Each event carries the order as it is now; Apollo writes it to the cache (Order by id), which
  // re-renders the page.
  const subscription = useSubscription(OrderStatusDocument, {
    variables: { orderId: id },
    skip: !exists,
    onData: ({ data }) => {
      const event = data.data?.orderStatusChanged;
      if (event) notifications.show({ message: `Order is now ${event.status}` });
    },
  });
  useRefetchOnReturn(result.refetch);

  return (
    <QueryState result={result}>
      {({ order }) =>
        order ? <OrderDetail order={order} live={!subscription.error} /> : <Empty>This order does not exist.</Empty>
      }
    </QueryState>
  );
}
