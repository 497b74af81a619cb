import { useMutation, useQuery } from '@apollo/client/react';
import { Group, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Empty, QueryState } from '../../components/status';
import { formatDate, formatMoney } from '../../format';
import {
  AdminCouponsDocument,
  SetCouponActiveDocument,
  type AdminCouponFieldsFragment,
  type CouponStatus,
} from '../../graphql/generated';
import { CouponForm } from './coupon-form';
import { InlineError } from './inline-error';
import { ModalButton } from './modal';
import { StatusBadge } from './status-badge';

type Coupon = AdminCouponFieldsFragment;

const STATUS_COLORS: Record<CouponStatus, string> = {
  ACTIVE: 'teal',
  DISABLED: 'gray',
  SCHEDULED: 'blue',
  EXPIRED: 'orange',
};

/** PERCENT as "10 %", FIXED as money. */
function discount(coupon: Coupon): string {
  if (coupon.kind === 'PERCENT') return `${coupon.value} %`;
  return coupon.currency ? formatMoney({ amount: coupon.value, currency: coupon.currency }) : String(coupon.value);
}

function usage(coupon: Coupon): string {
  if (!coupon.usage) return '—';
  return `${coupon.usage.redemptionCount} / ${coupon.maxRedemptions ?? 'unlimited'}`;
}

function validity({ startsAt, expiresAt }: Coupon): string {
  if (startsAt && expiresAt) return `${formatDate(startsAt)} – ${formatDate(expiresAt)}`;
  if (startsAt) return `From ${formatDate(startsAt)}`;
  if (expiresAt) return `Until ${formatDate(expiresAt)}`;
  return 'Always';
}

function ActiveSwitch({ coupon }: { coupon: Coupon }) {
  const [setActive, { loading, error }] = useMutation(SetCouponActiveDocument);
  // The switch follows the click at once and the server's answer after; a refusal puts it back.
  const [requested, setRequested] = useState<boolean | null>(null);
  const change = async (active: boolean) => {
    setRequested(active);
    await setActive({ variables: { code: coupon.code, active } }).catch(() => undefined);
    setRequested(null);
  };
  return (
    <Stack gap={4}>
      {/* Coupon.active means "applies now"; the switch is the admin's on/off, which only DISABLED reflects. */}
      <Switch
        aria-label={`Active ${coupon.code}`}
        // Mantine's transparent input lies under the track; on top, clicks reach the switch itself.
        styles={{ input: { zIndex: 1, cursor: 'pointer' } }}
        checked={requested ?? coupon.status !== 'DISABLED'}
        disabled={loading}
        onChange={(event) => void change(event.currentTarget.checked)}
      />
      <InlineError error={error} />
    </Stack>
  );
}

export function CouponsPage() {
  const coupons = useQuery(AdminCouponsDocument);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>Coupons</Title>
        <ModalButton modalTitle="New coupon" modal={(close) => <CouponForm onDone={close} />}>
          New coupon
        </ModalButton>
      </Group>
      <QueryState result={coupons}>
        {({ coupons: page }) =>
          page.edges.length === 0 ? (
            <Empty>There are no coupons yet.</Empty>
          ) : (
            <Stack>
              <Text size="sm" c="dimmed">
                {page.edges.length < page.totalCount
                  ? `The first ${page.edges.length} of ${page.totalCount} coupons, by code`
                  : `${page.totalCount} coupons`}
              </Text>
              <Table.ScrollContainer minWidth={1050}>
                <Table striped verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Code</Table.Th>
                      <Table.Th>Description</Table.Th>
                      <Table.Th>Discount</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Used</Table.Th>
                      <Table.Th>Valid</Table.Th>
                      <Table.Th>Active</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.edges.map(({ node: coupon }) => (
                      <Table.Tr key={coupon.code} data-coupon-code={coupon.code}>
                        <Table.Td ff="monospace" fw={700}>
                          {coupon.code}
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{coupon.description}</Text>
                          {coupon.minSubtotal > 0 && coupon.currency && (
                            <Text size="xs" c="dimmed">
                              From {formatMoney({ amount: coupon.minSubtotal, currency: coupon.currency })}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{discount(coupon)}</Table.Td>
                        <Table.Td>
                          <StatusBadge color={STATUS_COLORS[coupon.status]} testId="coupon-status">
                            {coupon.status}
                          </StatusBadge>
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{usage(coupon)}</Table.Td>
                        <Table.Td>
                          <Text size="sm">{validity(coupon)}</Text>
                        </Table.Td>
                        <Table.Td>
                          <ActiveSwitch coupon={coupon} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
