import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, withLogFields } from './logger';

/** A logger like createLogger's, writing its lines into `lines`. */
function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const logger = createLogger(
    'spec',
    'info',
    new Writable({ write: (chunk, _enc, done) => done(void chunks.push(String(chunk))) }),
  );
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('redacts credentials wherever they sit in a logged object', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'p1',
        req: { headers: { authorization: 'Bearer t1', 'x-api-key': 'k1', cookie: 'c1' } },
        input: { cardNumber: '4242424242424242', cvc: '123', token: 't2' },
      },
      'request',
    );
    const text = JSON.stringify(lines());
    for (const secret of ['p1', 't1', 'k1', 'c1', '4242424242424242', '"123"', 't2'])
      expect(text).not.toContain(secret);
    expect(lines()[0]).toMatchObject({ password: '[redacted]', req: { headers: { authorization: '[redacted]' } } });
  });

  it("adds the request's fields to every line written while it is handled, including fields added later", async () => {
    const { logger, lines } = capture();
    const fields: Record<string, string> = { request_id: 'r-1' };
    await withLogFields(fields, async () => {
      logger.info('first');
      fields.operation = 'PlaceOrder';
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.info('second');
    });
    logger.info('outside');
    expect(lines().map(({ msg, request_id, operation }) => ({ msg, request_id, operation }))).toEqual([
      { msg: 'first', request_id: 'r-1', operation: undefined },
      { msg: 'second', request_id: 'r-1', operation: 'PlaceOrder' },
      { msg: 'outside', request_id: undefined, operation: undefined },
    ]);
  });
});
