import { useMutation } from '@apollo/client/react';
import { NumberInput, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useState, type ChangeEvent } from 'react';
import { toMinorUnits } from '../../format';
import {
  AdminCouponsDocument,
  CreateCouponDocument,
  type CouponKind,
  type CreateCouponInput,
} from '../../graphql/generated';
import { ModalForm, notifySuccess } from './modal';

const KINDS: { value: CouponKind; label: string }[] = [
  { value: 'PERCENT', label: 'Percent' },
  { value: 'FIXED', label: 'Fixed amount' },
];

interface CouponValues {
  code: string;
  description: string;
  kind: CouponKind;
  value: number | string;
  currency: string;
  minSubtotal: string;
  maxRedemptions: number | string;
  perUserLimit: number | string;
  startsAt: string;
  expiresAt: string;
}

type CouponErrors = Partial<Record<keyof CouponValues, string>>;

const EMPTY: CouponValues = {
  code: '',
  description: '',
  kind: 'PERCENT',
  value: '',
  currency: 'EUR',
  minSubtotal: '',
  maxRedemptions: '',
  perUserLimit: 1,
  startsAt: '',
  expiresAt: '',
};

/** A datetime-local value ("2030-01-01T09:00", the browser's time zone) as an ISO instant. */
function toIso(local: string): string | null {
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

function wholeNumber(value: number | string, min: number, max = Infinity): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

/**
 * The request from the form, or what to fix first. Only what is needed to build the request is checked
 * here; the server checks the rest (code format, dates in the future) and its message shows in the form.
 */
function toInput(values: CouponValues): { input: CreateCouponInput } | { errors: CouponErrors } {
  const fixed = values.kind === 'FIXED';
  const value = fixed ? toMinorUnits(String(values.value)) : wholeNumber(values.value, 1, 100);
  const minSubtotal = values.minSubtotal.trim() ? toMinorUnits(values.minSubtotal) : 0;
  const currency = values.currency.trim().toUpperCase();
  const maxRedemptions = values.maxRedemptions === '' ? undefined : wholeNumber(values.maxRedemptions, 1);
  const perUserLimit = wholeNumber(values.perUserLimit, 1);
  const startsAt = values.startsAt ? toIso(values.startsAt) : undefined;
  const expiresAt = values.expiresAt ? toIso(values.expiresAt) : undefined;

  const errors: CouponErrors = {};
  if (value === null || value < 1)
    errors.value = fixed ? 'Enter an amount like 5.00' : 'Enter a whole percentage from 1 to 100';
  if ((fixed || minSubtotal) && !/^[A-Z]{3}$/.test(currency))
    errors.currency = 'Enter a three-letter currency code, e.g. EUR';
  if (minSubtotal === null) errors.minSubtotal = 'Enter an amount like 50.00, or leave it empty';
  if (maxRedemptions === null) errors.maxRedemptions = 'Enter 1 or more, or leave it empty';
  if (perUserLimit === null) errors.perUserLimit = 'Enter 1 or more';
  if (startsAt === null) errors.startsAt = 'Enter a date and time';
  if (expiresAt === null) errors.expiresAt = 'Enter a date and time';
  else if (expiresAt && startsAt && expiresAt <= startsAt) errors.expiresAt = 'Must be after the start';
  if (value === null || minSubtotal === null || perUserLimit === null || Object.keys(errors).length > 0)
    return { errors };

  return {
    input: {
      code: values.code.trim(),
      description: values.description.trim(),
      kind: values.kind,
      value,
      ...(currency ? { currency } : {}),
      minSubtotal,
      perUserLimit,
      ...(maxRedemptions ? { maxRedemptions } : {}),
      ...(startsAt ? { startsAt } : {}),
      ...(expiresAt ? { expiresAt } : {}),
    },
  };
}

export function CouponForm({ onDone }: { onDone: () => void }) {
  const [values, setValues] = useState(EMPTY);
  const [submitted, setSubmitted] = useState(false);
  const [create, { loading, error }] = useMutation(CreateCouponDocument, { refetchQueries: [AdminCouponsDocument] });
  const result = toInput(values);
  const errors = submitted && 'errors' in result ? result.errors : {};
  const set =
    <K extends keyof CouponValues>(field: K) =>
    (value: CouponValues[K]) =>
      setValues((current) => ({ ...current, [field]: value }));
  const text = (field: 'code' | 'description' | 'currency' | 'minSubtotal' | 'startsAt' | 'expiresAt') => ({
    value: values[field],
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(field)(event.currentTarget.value),
    error: errors[field],
  });
  const number = (field: 'value' | 'maxRedemptions' | 'perUserLimit') => ({
    value: values[field],
    onChange: set(field),
    error: errors[field],
  });
  const fixed = values.kind === 'FIXED';
  const currency = values.currency.trim().toUpperCase();

  const submit = async () => {
    setSubmitted(true);
    if (!('input' in result)) return;
    const { data } = await create({ variables: { input: result.input } }).catch(() => ({ data: undefined }));
    if (!data) return;
    notifySuccess(`Coupon ${data.createCoupon.code} created`);
    onDone();
  };

  return (
    <ModalForm submitLabel="Create coupon" onSubmit={submit} onCancel={onDone} loading={loading} error={error}>
      <TextInput
        label="Code"
        description="3 to 32 letters, digits, _ or -; stored in upper case"
        required
        data-autofocus
        {...text('code')}
      />
      <TextInput label="Description" description="Shown to customers" {...text('description')} />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <Select
          label="Kind"
          data={KINDS}
          value={values.kind}
          onChange={(next) => set('kind')(KINDS.find((option) => option.value === next)?.value ?? 'PERCENT')}
          allowDeselect={false}
        />
        <NumberInput
          label="Value"
          description={fixed ? `Amount in ${currency || 'the currency'}` : 'Percent, 1 to 100'}
          min={fixed ? 0 : 1}
          max={fixed ? undefined : 100}
          allowNegative={false}
          allowDecimal={fixed}
          decimalScale={2}
          required
          {...number('value')}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <TextInput label="Currency" description="Needed for amounts, e.g. EUR" {...text('currency')} />
        <TextInput
          label="Minimum subtotal"
          description="Optional, e.g. 50.00"
          inputMode="decimal"
          {...text('minSubtotal')}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <NumberInput
          label="Max redemptions"
          description="Optional; empty for no limit"
          min={1}
          allowNegative={false}
          allowDecimal={false}
          {...number('maxRedemptions')}
        />
        <NumberInput
          label="Per customer"
          description="Uses per customer"
          min={1}
          allowNegative={false}
          allowDecimal={false}
          required
          {...number('perUserLimit')}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <TextInput
          label="Starts"
          description="Optional; empty starts now"
          type="datetime-local"
          {...text('startsAt')}
        />
        <TextInput
          label="Expires"
          description="Optional; empty never expires"
          type="datetime-local"
          {...text('expiresAt')}
        />
      </SimpleGrid>
    </ModalForm>
  );
}
