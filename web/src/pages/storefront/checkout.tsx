import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Grid, Group, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { EmptyCart } from '../../components/empty-cart';
import { LineItemsTable } from '../../components/line-items-table';
import { MoneyLine } from '../../components/money-line';
import { ErrorNotice, QueryState } from '../../components/status';
import { formatMoney } from '../../format';
import {
  CartDocument,
  MeDocument,
  PlaceOrderDocument,
  ValidateCouponDocument,
  type CartFieldsFragment,
  type CouponRejection,
  type MoneyFieldsFragment,
} from '../../graphql/generated';

const REJECTIONS: Record<CouponRejection, string> = {
  NOT_FOUND: 'No coupon has this code.',
  INACTIVE: 'This coupon is no longer active.',
  NOT_STARTED: 'This coupon is not valid yet.',
  EXPIRED: 'This coupon has expired.',
  CURRENCY_MISMATCH: 'This coupon is for another currency than your cart.',
  MIN_SUBTOTAL_NOT_MET: 'Your subtotal is below the minimum this coupon needs.',
  USAGE_LIMIT_REACHED: 'This coupon has been used up.',
  USER_LIMIT_REACHED: 'You have already used this coupon as often as it allows.',
};

/** What ValidateCoupon said about a code: what it takes off, or why it does not apply. */
type CouponCheck = { applied: { code: string; discount: MoneyFieldsFragment } } | { rejected: string };

function CouponForm({
  cart,
  check,
  onCheck,
}: {
  cart: CartFieldsFragment;
  check: CouponCheck | null;
  onCheck: (check: CouponCheck | null) => void;
}) {
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);
  const [validate, { loading, error }] = useLazyQuery(ValidateCouponDocument, { fetchPolicy: 'network-only' });

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = code.trim();
    setMissing(!trimmed);
    if (!trimmed) return;
    const { data } = await validate({ variables: { code: trimmed, subtotal: moneyInput(cart.subtotal) } }).catch(
      () => ({
        data: undefined,
      }),
    );
    const result = data?.validateCoupon;
    if (!result) return;
    onCheck(
      result.valid && result.discount
        ? { applied: { code: trimmed, discount: result.discount } }
        : { rejected: result.reason ? REJECTIONS[result.reason] : 'This coupon does not apply to your order.' },
    );
  };

  return (
    <form onSubmit={apply} noValidate aria-label="Coupon">
      <Stack gap="sm">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Coupon code"
            value={code}
            onChange={(e) => {
              setCode(e.currentTarget.value);
              // Another code is not applied until it is checked.
              onCheck(null);
            }}
            error={missing ? 'Enter a coupon code' : null}
            autoCapitalize="characters"
            style={{ flex: 1, minWidth: 180 }}
          />
          <Button type="submit" variant="default" loading={loading}>
            Apply coupon
          </Button>
        </Group>
        {error && <ErrorNotice error={error} />}
        {check && (
          <Alert
            color={'applied' in check ? 'teal' : 'red'}
            role={'applied' in check ? 'status' : 'alert'}
            data-testid="coupon-result"
          >
            {'applied' in check ? `Coupon applied: −${formatMoney(check.applied.discount)}` : check.rejected}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

/** Query results carry __typename, which an input type does not accept. */
function moneyInput({ amount, currency }: MoneyFieldsFragment): MoneyFieldsFragment {
  return { amount, currency };
}

/** What is being bought, at which prices: a checkout (coupon, idempotency key) belongs to one cart content. */
function cartSignature(cart: CartFieldsFragment): string {
  return JSON.stringify([cart.items.map((item) => [item.product.id, item.quantity]), cart.subtotal]);
}

function Checkout({ cart }: { cart: CartFieldsFragment }) {
  const navigate = useNavigate();
  const [check, setCheck] = useState<CouponCheck | null>(null);
  const [placeOrder, { loading, error }] = useMutation(PlaceOrderDocument, {
    // The ordered units leave the cart on the server.
    refetchQueries: [MeDocument, CartDocument],
  });
  // One idempotency key per order request: a retry (double click, network error) sends the same one and
  // gets the same order; another coupon is another request. (Another cart remounts this component.)
  const attempt = useRef<{ couponCode: string | null; key: string } | null>(null);
  const coupon = check && 'applied' in check ? check.applied : null;
  const total = coupon ? { ...cart.subtotal, amount: cart.subtotal.amount - coupon.discount.amount } : cart.subtotal;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const couponCode = coupon?.code ?? null;
    if (attempt.current?.couponCode !== couponCode) attempt.current = { couponCode, key: crypto.randomUUID() };
    const { data } = await placeOrder({
      variables: { input: { fromCart: true }, couponCode, idempotencyKey: attempt.current.key },
    }).catch(() => ({ data: undefined }));
    if (data) void navigate(`/orders/${data.placeOrder.id}`);
  };

  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack>
          <LineItemsTable items={cart.items} />
          <Paper withBorder p="md">
            <CouponForm cart={cart} check={check} onCheck={setCheck} />
          </Paper>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper withBorder p="md">
          <form onSubmit={submit} noValidate aria-label="Order summary">
            <Stack gap="sm">
              <Title order={2} size="h4">
                Order summary
              </Title>
              <MoneyLine label="Subtotal" money={cart.subtotal} />
              {coupon && <MoneyLine label={`Discount (${coupon.code})`} money={coupon.discount} deducted />}
              <MoneyLine label="Total" money={total} strong testId="checkout-total" />
              {error && <ErrorNotice error={error} />}
              <Button type="submit" loading={loading}>
                Place order
              </Button>
            </Stack>
          </form>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

export function CheckoutPage() {
  const cart = useQuery(CartDocument);
  return (
    <Stack>
      <Title order={1}>Checkout</Title>
      <QueryState result={cart}>
        {({ me }) => (me?.cart.items.length ? <Checkout key={cartSignature(me.cart)} cart={me.cart} /> : <EmptyCart />)}
      </QueryState>
    </Stack>
  );
}
