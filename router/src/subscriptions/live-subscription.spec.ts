import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { LiveSubscription, SubscriptionHub, topicOf, type LiveSubscriptionOptions } from './live-subscription';
import type { StatusChangeEvent } from './order-event-feed';

const orderId = randomUUID();
const userId = randomUUID();

function event(sequence: number, order = orderId): StatusChangeEvent {
  return {
    id: randomUUID(),
    payload: {
      version: 1,
      orderId: order,
      userId,
      from: 'PAID',
      to: 'SHIPPED',
      actorId: null,
      changedAt: new Date().toISOString(),
      sequence,
    },
  };
}

function subscription(overrides: Partial<LiveSubscriptionOptions> = {}) {
  const calls = { overflow: 0, end: 0 };
  const live = new LiveSubscription({
    resolve: async (received) => ({ data: { sequence: received.payload.sequence } }),
    maxQueued: 10,
    congested: () => false,
    onOverflow: () => void (calls.overflow += 1),
    onEnd: () => void (calls.end += 1),
    ...overrides,
  });
  return { live, calls };
}

const sequenceOf = (result: IteratorResult<ExecutionResult>) => (result.value as ExecutionResult).data?.['sequence'];

describe('LiveSubscription', () => {
  it('yields events in arrival order and skips changes not newer than the last delivered one of their order', async () => {
    const { live } = subscription();
    const other = randomUUID();
    for (const pushed of [event(2), event(2), event(4), event(3), event(1, other), event(5)]) live.push(pushed);
    const sequences = [];
    for (let index = 0; index < 4; index++) sequences.push(sequenceOf(await live.next()));
    expect(sequences).toEqual([2, 4, 1, 5]);
  });

  it('resolves one event at a time, so a slow resolution never lets a later event overtake it', async () => {
    const started: number[] = [];
    const { live } = subscription({
      resolve: async (received) => {
        started.push(received.payload.sequence);
        await new Promise((resolve) => setTimeout(resolve, received.payload.sequence === 2 ? 30 : 0));
        return { data: { sequence: received.payload.sequence } };
      },
    });
    live.push(event(2));
    live.push(event(3));
    const first = live.next();
    expect(started).toEqual([2]);
    expect(sequenceOf(await first)).toBe(2);
    expect(sequenceOf(await live.next())).toBe(3);
  });

  it('waits for the next event, and return() ends a waiting iterator at once', async () => {
    const { live, calls } = subscription();
    const waiting = live.next();
    setTimeout(() => live.push(event(7)), 10);
    expect(sequenceOf(await waiting)).toBe(7);
    const pending = live.next();
    await expect(live.return()).resolves.toEqual({ done: true, value: undefined });
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    live.push(event(8));
    await expect(live.next()).resolves.toEqual({ done: true, value: undefined });
    expect(calls).toEqual({ overflow: 0, end: 1 });
  });

  it('ends with onOverflow when its queue is full or its socket is congested', async () => {
    const full = subscription({ maxQueued: 2 });
    for (let sequence = 1; sequence <= 3; sequence++) full.live.push(event(sequence));
    expect(full.calls).toEqual({ overflow: 1, end: 1 });
    await expect(full.live.next()).resolves.toEqual({ done: true, value: undefined });

    let congested = false;
    const slow = subscription({ congested: () => congested });
    slow.live.push(event(1));
    congested = true;
    slow.live.push(event(2));
    expect(slow.calls).toEqual({ overflow: 1, end: 1 });
  });
});

describe('SubscriptionHub and topics', () => {
  it('routes an event to the subscriptions of its order and of its owner, and forgets removed ones', async () => {
    const hub = new SubscriptionHub();
    const byOrder = subscription();
    const byUser = subscription();
    const elsewhere = subscription();
    const customer = { kind: 'user' as const, userId, roles: ['customer'], scopes: [] };
    hub.add(topicOf('orderStatusChanged', { orderId }, customer) ?? '', byOrder.live);
    const removeUser = hub.add(topicOf('myOrderUpdates', {}, customer) ?? '', byUser.live);
    hub.add(topicOf('orderStatusChanged', { orderId: randomUUID() }, customer) ?? '', elsewhere.live);
    expect(hub.size).toBe(3);

    hub.publish(event(2));
    expect(sequenceOf(await byOrder.live.next())).toBe(2);
    expect(sequenceOf(await byUser.live.next())).toBe(2);
    removeUser();
    removeUser();
    expect(hub.size).toBe(2);
    const nothing = await Promise.race([elsewhere.live.next(), new Promise((resolve) => setTimeout(resolve, 20))]);
    expect(nothing).toBeUndefined();
  });

  it('knows no topic for unknown fields or for callers who cannot have one', () => {
    expect(topicOf('somethingElse', {}, { kind: 'anonymous', ip: '::1' })).toBeNull();
    expect(topicOf('myOrderUpdates', {}, { kind: 'anonymous', ip: '::1' })).toBeNull();
    expect(topicOf('toString', {}, { kind: 'anonymous', ip: '::1' })).toBeNull();
  });
});
