import { randomUUID } from 'node:crypto';
import type { PaymentOutcome } from '@minishop/db';
import { badUserInput } from '@minishop/runtime';

/** Card details as the customer typed them; only the last four digits are ever stored. */
export interface CardInput {
  cardNumber: string;
  expiryMonth: number;
  expiryYear: number;
  cvc: string;
}

export interface ChargeResult {
  outcome: PaymentOutcome;
  /** The provider's reference for a successful charge, null otherwise. */
  providerRef: string | null;
  cardLast4: string;
}

/** Test cards of the simulated provider (any other Luhn-valid number is charged successfully). */
export const TEST_CARDS = {
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  /** Answers only after the provider's timeout: the attempt is TIMED_OUT. */
  slow: '4000000000000259',
  success: '4242424242424242',
} as const;

export interface PaymentProviderOptions {
  /** How long a charge may take before it counts as TIMED_OUT. */
  timeoutMs: number;
  /** How long the simulated provider takes to answer for the slow test card. */
  slowResponseMs?: number;
}

/** True when `digits` passes the Luhn checksum. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Checks the card's form (BAD_USER_INPUT with `field`): 12..19 digits (spaces allowed) passing
 * Luhn, an expiry month 1..12 not in the past, a 3..4 digit CVC. Returns the bare digits.
 */
export function checkCard(card: CardInput, now: Date): string {
  const digits = card.cardNumber.replace(/ /g, '');
  if (!/^\d{12,19}$/.test(digits) || !isLuhnValid(digits)) {
    throw badUserInput('The card number is not valid', { field: 'payment.cardNumber' });
  }
  if (!Number.isInteger(card.expiryMonth) || card.expiryMonth < 1 || card.expiryMonth > 12) {
    throw badUserInput('The expiry month must be 1..12', { field: 'payment.expiryMonth' });
  }
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  if (
    !Number.isInteger(card.expiryYear) ||
    card.expiryYear < year ||
    (card.expiryYear === year && card.expiryMonth < month)
  ) {
    throw badUserInput('The card has expired', { field: 'payment.expiryYear' });
  }
  if (!/^\d{3,4}$/.test(card.cvc)) throw badUserInput('The CVC must be 3 or 4 digits', { field: 'payment.cvc' });
  return digits;
}

/**
 * A deterministic stand-in for a card payment provider: the outcome depends only on the card
 * number (see TEST_CARDS). A charge that takes longer than `timeoutMs` is abandoned as TIMED_OUT.
 */
export class SimulatedPaymentProvider {
  constructor(private readonly options: PaymentProviderOptions) {}

  /**
   * Charges `amount` (minor units; the simulation does not look at it) to a card already checked
   * with checkCard. Never throws: a timeout is the TIMED_OUT outcome.
   */
  async charge(digits: string, _amount: number): Promise<ChargeResult> {
    const cardLast4 = digits.slice(-4);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.options.timeoutMs);
    try {
      const outcome = await this.answer(digits, timeout.signal);
      return { outcome, providerRef: outcome === 'SUCCEEDED' ? `sim_${randomUUID()}` : null, cardLast4 };
    } catch {
      return { outcome: 'TIMED_OUT', providerRef: null, cardLast4 };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The simulated provider's answer; rejects when `signal` aborts first. */
  private async answer(digits: string, signal: AbortSignal): Promise<PaymentOutcome> {
    if (digits === TEST_CARDS.slow) {
      await abortableDelay(this.options.slowResponseMs ?? this.options.timeoutMs * 10, signal);
    }
    if (digits === TEST_CARDS.declined) return 'DECLINED';
    if (digits === TEST_CARDS.insufficientFunds) return 'INSUFFICIENT_FUNDS';
    return 'SUCCEEDED';
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('payment provider timed out'));
      },
      { once: true },
    );
  });
}
