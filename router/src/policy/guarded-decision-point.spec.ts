import { createLogger } from '@minishop/runtime';
import type { PolicyDecisionPoint, PolicyDecisions, PolicyInput } from './decision-point';
import { guardedDecisionPoint, type GuardedDecisionPointOptions } from './guarded-decision-point';

const input = (policies: string[], id = 'u-1'): PolicyInput => ({
  subject: { kind: 'user', id, roles: ['customer'], scopes: [] },
  client: null,
  operation: { name: 'Me', type: 'query' },
  policies,
});

/** An inner point that records what it is asked and answers with `answer`. */
function fakeInner(answer: (input: PolicyInput) => Promise<PolicyDecisions> | PolicyDecisions) {
  const asked: PolicyInput[] = [];
  const inner: PolicyDecisionPoint = {
    decide: (received) => {
      asked.push(received);
      return Promise.resolve(answer(received));
    },
  };
  return { inner, asked };
}

function guard(inner: PolicyDecisionPoint, options: Partial<GuardedDecisionPointOptions> = {}) {
  const logger = createLogger('policy-test', 'silent');
  const warn = jest.spyOn(logger, 'warn');
  const point = guardedDecisionPoint(inner, {
    cacheTtlMs: 60_000,
    maxEntries: 100,
    timeoutMs: 1_000,
    logger,
    ...options,
  });
  return { point, warn };
}

const allowAll = (received: PolicyInput) => Object.fromEntries(received.policies.map((name) => [name, true]));

describe('guardedDecisionPoint', () => {
  it('answers an empty policy list with {} without asking', async () => {
    const { inner, asked } = fakeInner(allowAll);
    expect(await guard(inner).point.decide(input([]))).toEqual({});
    expect(asked).toHaveLength(0);
  });

  it('asks once for the unique, sorted policies and answers each of them', async () => {
    const { inner, asked } = fakeInner(allowAll);
    const decisions = await guard(inner).point.decide(input(['b.policy', 'a.policy', 'b.policy']));
    expect(decisions).toEqual({ 'a.policy': true, 'b.policy': true });
    expect(asked.map((received) => received.policies)).toEqual([['a.policy', 'b.policy']]);
  });

  it('denies a missing or non-boolean decision and drops decisions nobody asked for', async () => {
    const { inner } = fakeInner(() => ({ 'a.policy': true, 'b.policy': 1 as unknown as boolean, 'z.policy': true }));
    expect(await guard(inner).point.decide(input(['a.policy', 'b.policy', 'c.policy']))).toEqual({
      'a.policy': true,
      'b.policy': false,
      'c.policy': false,
    });
  });

  it('denies when the inner point answers something that is not an object', async () => {
    const { inner } = fakeInner(() => null as unknown as PolicyDecisions);
    expect(await guard(inner).point.decide(input(['a.policy']))).toEqual({ 'a.policy': false });
  });

  it.each([
    [
      'throws synchronously',
      () => ({
        decide: () => {
          throw new Error('sync');
        },
      }),
    ],
    ['rejects', () => ({ decide: () => Promise.reject(new Error('async')) })],
    ['never answers', () => ({ decide: () => new Promise<PolicyDecisions>(() => undefined) })],
  ])('denies every requested policy and logs a warning when the inner point %s', async (_, make) => {
    const { point, warn } = guard(make(), { timeoutMs: 20 });
    await expect(point.decide(input(['a.policy', 'b.policy']))).resolves.toEqual({
      'a.policy': false,
      'b.policy': false,
    });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('does not cache failures', async () => {
    let fail = true;
    const { inner, asked } = fakeInner(() => (fail ? Promise.reject(new Error('down')) : { 'a.policy': true }));
    const { point } = guard(inner);
    expect(await point.decide(input(['a.policy']))).toEqual({ 'a.policy': false });
    fail = false;
    expect(await point.decide(input(['a.policy']))).toEqual({ 'a.policy': true });
    expect(asked).toHaveLength(2);
  });

  it('shares one inner call between identical concurrent inputs, never between different subjects', async () => {
    const { inner, asked } = fakeInner((received) => ({ 'a.policy': received.subject.id === 'u-1' }));
    const { point } = guard(inner);
    const answers = await Promise.all([
      point.decide(input(['a.policy'], 'u-1')),
      point.decide(input(['a.policy'], 'u-1')),
      point.decide(input(['a.policy'], 'u-2')),
    ]);
    expect(answers).toEqual([{ 'a.policy': true }, { 'a.policy': true }, { 'a.policy': false }]);
    expect(asked.map((received) => received.subject.id)).toEqual(['u-1', 'u-2']);
  });

  it('asks every time when the cache is off (ttl 0)', async () => {
    const { inner, asked } = fakeInner(allowAll);
    const { point } = guard(inner, { cacheTtlMs: 0 });
    await point.decide(input(['a.policy']));
    await point.decide(input(['a.policy']));
    expect(asked).toHaveLength(2);
  });

  it('remembers at most maxEntries inputs', async () => {
    const { inner, asked } = fakeInner(allowAll);
    const { point } = guard(inner, { maxEntries: 1 });
    for (const id of ['u-1', 'u-2', 'u-1']) await point.decide(input(['a.policy'], id));
    expect(asked).toHaveLength(3);
  });
});
