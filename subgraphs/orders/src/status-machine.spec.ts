import { GraphQLError } from 'graphql';
import { assertTransition, canTransition, ORDER_TRANSITIONS } from './status-machine';

const ALL = ['PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;

describe('order status machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = ALL.flatMap((from) => ALL.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed).toEqual([
      'PENDING->PAID',
      'PENDING->CANCELLED',
      'PAID->SHIPPED',
      'PAID->CANCELLED',
      'SHIPPED->DELIVERED',
    ]);
  });

  it('has final states and no self-transitions', () => {
    expect(ORDER_TRANSITIONS.DELIVERED).toEqual([]);
    expect(ORDER_TRANSITIONS.CANCELLED).toEqual([]);
    for (const status of ALL) expect(canTransition(status, status)).toBe(false);
  });

  it('refuses a forbidden transition with CONFLICT naming both statuses', () => {
    expect(() => assertTransition('PAID', 'SHIPPED')).not.toThrow();
    let error: unknown;
    try {
      assertTransition('SHIPPED', 'CANCELLED');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toEqual({ code: 'CONFLICT' });
    expect((error as GraphQLError).message).toBe('An order that is SHIPPED cannot become CANCELLED');
  });
});
