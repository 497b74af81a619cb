import { useMutation, useQuery } from '@apollo/client/react';
import { Button, NumberInput, Stack, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { EmptyCart } from '../../components/empty-cart';
import { LineItemsTable } from '../../components/line-items-table';
import { MoneyLine } from '../../components/money-line';
import { ErrorNotice, QueryState } from '../../components/status';
import {
  CartDocument,
  MeDocument,
  RemoveFromCartDocument,
  UpdateCartItemDocument,
  type CartFieldsFragment,
} from '../../graphql/generated';

type CartItem = CartFieldsFragment['items'][number];

/** Typing pauses this long before a new quantity is saved; blur and Enter save at once. */
const SAVE_DELAY_MS = 800;

function validQuantity(value: string | number): number | null {
  const quantity = Number(value);
  return value !== '' && Number.isInteger(quantity) && quantity >= 1 && quantity <= 99 ? quantity : null;
}

/** Edits locally and saves once the shopper is done; remounted (see its key) when the saved quantity changes. */
function QuantityInput({ item, onSave }: { item: CartItem; onSave: (quantity: number) => Promise<boolean> }) {
  const [value, setValue] = useState<string | number>(item.quantity);
  const save = useDebouncedCallback(() => {
    const quantity = validQuantity(value);
    if (quantity === null) setValue(item.quantity);
    else if (quantity !== item.quantity)
      void onSave(quantity).then((saved) => {
        if (!saved) setValue(item.quantity);
      });
  }, SAVE_DELAY_MS);

  return (
    <NumberInput
      aria-label={`Quantity of ${item.product.name}`}
      min={1}
      max={99}
      allowDecimal={false}
      allowNegative={false}
      value={value}
      onChange={(next) => {
        setValue(next);
        save();
      }}
      onBlur={() => save.flush()}
      onKeyDown={(event) => {
        if (event.key === 'Enter') save.flush();
      }}
      w={90}
      ml="auto"
    />
  );
}

function CartTable({ cart }: { cart: CartFieldsFragment }) {
  // Both change the Cart entity (the table re-renders from the cache) and the header's item count (Me).
  const [updateItem, update] = useMutation(UpdateCartItemDocument, { refetchQueries: [MeDocument] });
  const [removeItem, remove] = useMutation(RemoveFromCartDocument, { refetchQueries: [MeDocument] });
  const [lastFailed, setLastFailed] = useState<'update' | 'remove' | null>(null);
  const error = lastFailed === 'update' ? update.error : lastFailed === 'remove' ? remove.error : undefined;

  const run = (which: 'update' | 'remove', mutation: Promise<unknown>) => {
    setLastFailed(null);
    return mutation.then(
      () => true,
      () => {
        setLastFailed(which);
        return false;
      },
    );
  };

  return (
    <Stack>
      {error && <ErrorNotice error={error} />}
      <LineItemsTable
        items={cart.items}
        quantity={(item) => (
          <QuantityInput
            key={`${item.product.id}:${item.quantity}`}
            item={item}
            onSave={(quantity) => run('update', updateItem({ variables: { productId: item.product.id, quantity } }))}
          />
        )}
        actions={(item) => (
          <Button
            variant="subtle"
            color="red"
            size="xs"
            aria-label={`Remove ${item.product.name}`}
            onClick={() => void run('remove', removeItem({ variables: { productId: item.product.id } }))}
          >
            Remove
          </Button>
        )}
      />
    </Stack>
  );
}

export function CartPage() {
  const cart = useQuery(CartDocument);
  const navigate = useNavigate();
  return (
    <Stack>
      <Title order={1}>Your cart</Title>
      <QueryState result={cart}>
        {({ me }) => {
          const cart = me?.cart.items.length ? me.cart : null;
          return (
            <Stack>
              {cart ? <CartTable cart={cart} /> : <EmptyCart />}
              <Stack maw={360} w="100%" ml="auto">
                {cart && <MoneyLine label="Subtotal" money={cart.subtotal} strong testId="cart-subtotal" />}
                <Button disabled={!cart} onClick={() => void navigate('/checkout')}>
                  Proceed to checkout
                </Button>
              </Stack>
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}
