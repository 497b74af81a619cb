import type { MoneyFieldsFragment } from './graphql/generated';

/** Amounts are integer minor units (cents) with an ISO-4217 currency. */
export function formatMoney(money: MoneyFieldsFragment): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).format(money.amount / 100);
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A shopper's price in major units (e.g. "12.50") as integer minor units; null when not a price. */
export function toMinorUnits(text: string): number | null {
  if (!/^\d+(\.\d{1,2})?$/.test(text.trim())) return null;
  return Math.round(Number(text) * 100);
}
