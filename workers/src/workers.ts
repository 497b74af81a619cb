import type { PrismaClient } from '@minishop/db';
import type { Logger } from '@minishop/runtime';
import type { WorkersConfig, WorkerName } from './config';
import type { Consumer } from './consumers/consumer';
import { ConsumerRunner } from './consumers/consumer-runner';
import { loggingChannel } from './consumers/notification-channels';
import { notificationsConsumer } from './consumers/notifications-consumer';
import { productsConsumer } from './consumers/products-consumer';
import { reviewsConsumer } from './consumers/reviews-consumer';
import { OutboxRelay } from './relay/outbox-relay';

/** What main() needs of a relay or a consumer runner: start, readiness for /health/ready, ordered stop. */
export interface BackgroundTask {
  readonly ready: boolean;
  start(): void;
  stop(): Promise<void>;
}

export interface Worker {
  name: WorkerName;
  task: BackgroundTask;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Builds the workers named in WORKERS from the config (not started). */
export function createWorkers(config: WorkersConfig, prisma: PrismaClient, logger: Logger): Worker[] {
  const reconnectBackoff = { baseMs: 200, maxMs: config.AMQP_RECONNECT_MAX_MS };
  const consumers: Record<Exclude<WorkerName, 'relay'>, () => Consumer> = {
    // Dev channels only log; a real provider implements NotificationChannel.
    notifications: () => {
      const channelLogger = logger.child({ consumer: 'notifications' });
      return notificationsConsumer([loggingChannel('email', channelLogger), loggingChannel('sms', channelLogger)]);
    },
    reviews: reviewsConsumer,
    products: productsConsumer,
  };
  return config.WORKERS.map((name): Worker => {
    if (name === 'relay') {
      const relay = new OutboxRelay({
        prisma,
        databaseUrl: config.DATABASE_URL,
        amqpUrl: config.AMQP_URL,
        exchange: config.EVENTS_EXCHANGE,
        logger: logger.child({ worker: 'relay' }),
        batchSize: config.RELAY_BATCH_SIZE,
        pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
        retryBackoff: { baseMs: config.RELAY_RETRY_BASE_MS, maxMs: config.RELAY_RETRY_MAX_MS },
        reconnectBackoff,
        confirmTimeoutMs: config.RELAY_CONFIRM_TIMEOUT_MS,
        retentionMs: config.RELAY_RETENTION_DAYS * DAY_MS,
        cleanupIntervalMs: config.RELAY_CLEANUP_INTERVAL_MS,
      });
      return { name, task: relay };
    }
    const runner = new ConsumerRunner(consumers[name](), {
      prisma,
      amqpUrl: config.AMQP_URL,
      exchange: config.EVENTS_EXCHANGE,
      queuePrefix: config.QUEUE_PREFIX,
      logger,
      prefetch: config.CONSUMER_PREFETCH,
      maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
      retryDelayMs: config.CONSUMER_RETRY_DELAY_MS,
      reconnectBackoff,
    });
    return { name, task: runner };
  });
}
