import { useMutation } from '@apollo/client/react';
import { NumberInput, TextInput } from '@mantine/core';
import { useState } from 'react';
import { AdjustStockDocument } from '../../graphql/generated';
import { ModalButton, ModalForm, notifySuccess } from './modal';

interface StockProduct {
  id: string;
  name: string;
}

function AdjustStockForm({
  product,
  onDone,
  onCancel,
}: {
  product: StockProduct;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [change, setChange] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [adjust, { loading, error }] = useMutation(AdjustStockDocument);
  const changeError = typeof change === 'number' && change !== 0 ? null : 'Enter the units to add or remove (not 0)';
  const reasonError = reason.trim() ? null : 'Say why the stock changes';

  const submit = async () => {
    setSubmitted(true);
    if (typeof change !== 'number' || changeError || reasonError) return;
    const { data } = await adjust({ variables: { productId: product.id, delta: change, reason: reason.trim() } }).catch(
      () => ({ data: undefined }),
    );
    if (!data) return;
    notifySuccess(`Stock of ${product.name} is now ${data.adjustStock.stockAfter}`);
    onDone();
  };

  return (
    <ModalForm submitLabel="Save adjustment" onSubmit={submit} onCancel={onCancel} loading={loading} error={error}>
      <NumberInput
        label="Change"
        description="Positive adds units, negative removes them"
        allowDecimal={false}
        value={change}
        onChange={setChange}
        error={submitted && changeError}
        required
        data-autofocus
      />
      <TextInput
        label="Reason"
        placeholder="e.g. Delivery received, damaged in storage"
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={submitted && reasonError}
        required
      />
    </ModalForm>
  );
}

/** Adds or removes units of one product; `onAdjusted` refreshes the page's list afterwards. */
export function AdjustStockButton({ product, onAdjusted }: { product: StockProduct; onAdjusted: () => void }) {
  return (
    <ModalButton
      size="xs"
      variant="light"
      aria-label={`Adjust stock of ${product.name}`}
      modalTitle={`Adjust stock of ${product.name}`}
      modal={(close) => (
        <AdjustStockForm
          product={product}
          onCancel={close}
          onDone={() => {
            close();
            onAdjusted();
          }}
        />
      )}
    >
      Adjust stock
    </ModalButton>
  );
}
