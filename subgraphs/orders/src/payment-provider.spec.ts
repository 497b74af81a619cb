import { GraphQLError } from 'graphql';
import { checkCard, isLuhnValid, SimulatedPaymentProvider, TEST_CARDS, type CardInput } from './payment-provider';

const NOW = new Date('2026-11-22T00:00:00Z');
const card = (overrides: Partial<CardInput> = {}): CardInput => ({
  cardNumber: TEST_CARDS.success,
  expiryMonth: 12,
  expiryYear: 2030,
  cvc: '123',
  ...overrides,
});

function fieldOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions['code']).toBe('BAD_USER_INPUT');
    return (error as GraphQLError).extensions['field'];
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

describe('simulated payment provider', () => {
  const provider = new SimulatedPaymentProvider({ timeoutMs: 20, slowResponseMs: 5_000 });

  it('checks Luhn', () => {
    expect(Object.values(TEST_CARDS).every(isLuhnValid)).toBe(true);
    expect(isLuhnValid('4242424242424241')).toBe(false);
  });

  it('accepts a well-formed card and returns its digits', () => {
    expect(checkCard(card({ cardNumber: '4242 4242 4242 4242' }), NOW)).toBe(TEST_CARDS.success);
    expect(checkCard(card({ expiryMonth: 11, expiryYear: 2026 }), NOW)).toBe(TEST_CARDS.success);
  });

  it('refuses malformed cards naming the field', () => {
    expect(fieldOf(() => checkCard(card({ cardNumber: '4242424242424241' }), NOW))).toBe('payment.cardNumber');
    expect(fieldOf(() => checkCard(card({ cardNumber: '42abc' }), NOW))).toBe('payment.cardNumber');
    expect(fieldOf(() => checkCard(card({ expiryMonth: 13 }), NOW))).toBe('payment.expiryMonth');
    expect(fieldOf(() => checkCard(card({ expiryMonth: 10, expiryYear: 2026 }), NOW))).toBe('payment.expiryYear');
    expect(fieldOf(() => checkCard(card({ cvc: '12' }), NOW))).toBe('payment.cvc');
  });

  it('answers deterministically per test card and keeps only the last four digits', async () => {
    expect(await provider.charge(TEST_CARDS.declined, 100)).toEqual({
      outcome: 'DECLINED',
      providerRef: null,
      cardLast4: '0002',
    });
    expect(await provider.charge(TEST_CARDS.insufficientFunds, 100)).toEqual({
      outcome: 'INSUFFICIENT_FUNDS',
      providerRef: null,
      cardLast4: '9995',
    });
    const success = await provider.charge(TEST_CARDS.success, 100);
    expect(success).toEqual({ outcome: 'SUCCEEDED', providerRef: expect.stringMatching(/^sim_/), cardLast4: '4242' });
    expect((await provider.charge('5555555555554444', 100)).outcome).toBe('SUCCEEDED');
  });

  it('times out on the slow card after the configured timeout', async () => {
    expect(await provider.charge(TEST_CARDS.slow, 100)).toEqual({
      outcome: 'TIMED_OUT',
      providerRef: null,
      cardLast4: '0259',
    });
    // A provider with a generous timeout waits for the slow answer (which then succeeds).
    const patient = new SimulatedPaymentProvider({ timeoutMs: 1_000, slowResponseMs: 10 });
    expect((await patient.charge(TEST_CARDS.slow, 100)).outcome).toBe('SUCCEEDED');
  });
});
