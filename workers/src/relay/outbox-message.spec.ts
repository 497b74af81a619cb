import { toOutboxMessage } from './outbox-message';

describe('toOutboxMessage', () => {
  const row = {
    id: '6f1c1f0e-7d2a-4d0e-9a39-2f3b7c1d0a11',
    type: 'order.paid',
    aggregateId: '0b7e5a8c-3c1e-4f55-8c7e-9f1d2a3b4c5d',
    payload: { version: 1, orderId: '0b7e5a8c-3c1e-4f55-8c7e-9f1d2a3b4c5d' },
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    createdAt: new Date('2026-11-22T01:00:00.500Z'),
    attempts: 0,
  };

  it('uses the type as routing key and the event id as message id, persistent JSON', () => {
    const message = toOutboxMessage(row);
    expect(message.routingKey).toBe('order.paid');
    expect(JSON.parse(message.content.toString('utf8'))).toEqual(row.payload);
    expect(message.options).toEqual({
      messageId: row.id,
      type: 'order.paid',
      contentType: 'application/json',
      persistent: true,
      timestamp: 1795309200,
      headers: { aggregateId: row.aggregateId, traceparent: row.traceparent },
    });
  });

  it('omits the traceparent header when the request had none', () => {
    expect(toOutboxMessage({ ...row, traceparent: null }).options.headers).toEqual({ aggregateId: row.aggregateId });
  });
});
