import { backoffDelay, Sleeper } from './backoff';

describe('backoffDelay', () => {
  const backoff = { baseMs: 100, maxMs: 1000 };

  it('doubles per attempt from the base', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(backoff, attempt))).toEqual([100, 200, 400, 800]);
  });

  it('is capped at the maximum and treats attempts below 1 as the first', () => {
    expect(backoffDelay(backoff, 5)).toBe(1000);
    expect(backoffDelay(backoff, 500)).toBe(1000);
    expect(backoffDelay(backoff, 0)).toBe(100);
  });
});

describe('Sleeper', () => {
  it('wake() ends the current sleep early', async () => {
    const sleeper = new Sleeper();
    const done = sleeper.sleep(60_000).then(() => 'woken');
    sleeper.wake();
    await expect(done).resolves.toBe('woken');
  });

  it('keeps a wake that came while awake for the next sleep', async () => {
    const sleeper = new Sleeper();
    sleeper.wake();
    await expect(sleeper.sleep(60_000).then(() => 'woken')).resolves.toBe('woken');
  });
});
