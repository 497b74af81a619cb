import { Group, Text } from '@mantine/core';
import { formatMoney } from '../format';
import type { MoneyFieldsFragment } from '../graphql/generated';

/** One labelled amount of a summary (subtotal, discount, total); `deducted` shows it as a minus. */
export function MoneyLine({
  label,
  money,
  deducted = false,
  strong = false,
  testId,
}: {
  label: string;
  money: MoneyFieldsFragment;
  deducted?: boolean;
  strong?: boolean;
  testId?: string;
}) {
  const weight = strong ? 700 : undefined;
  return (
    <Group justify="space-between" wrap="nowrap" data-testid={testId}>
      <Text fw={weight}>{label}</Text>
      <Text fw={weight}>
        {deducted ? '−' : ''}
        {formatMoney(money)}
      </Text>
    </Group>
  );
}
