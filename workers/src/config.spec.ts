import { ConfigError } from '@minishop/runtime';
import { readWorkersConfig } from './config';

const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db', AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672' };

describe('readWorkersConfig', () => {
  it('runs every worker with the documented defaults', () => {
    const config = readWorkersConfig(base);
    expect(config.WORKERS).toEqual(['relay', 'notifications', 'reviews', 'products']);
    expect(config).toMatchObject({
      WORKERS_PORT: 4010,
      HOST: '127.0.0.1',
      EVENTS_EXCHANGE: 'minishop.events',
      RELAY_BATCH_SIZE: 100,
      RELAY_POLL_INTERVAL_MS: 1000,
      RELAY_RETENTION_DAYS: 7,
      CONSUMER_PREFETCH: 16,
      CONSUMER_MAX_ATTEMPTS: 5,
    });
  });

  it('picks a subset from WORKERS', () => {
    expect(readWorkersConfig({ ...base, WORKERS: 'relay, notifications,relay' }).WORKERS).toEqual([
      'relay',
      'notifications',
    ]);
  });

  it('names every bad variable at once', () => {
    expect(() => readWorkersConfig({ WORKERS: 'relay,mailer', CONSUMER_PREFETCH: '0' })).toThrow(ConfigError);
    try {
      readWorkersConfig({ WORKERS: 'relay,mailer', CONSUMER_PREFETCH: '0' });
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['DATABASE_URL', 'AMQP_URL', 'WORKERS', 'CONSUMER_PREFETCH']) expect(problems).toContain(name);
    }
  });
});
