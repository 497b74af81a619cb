import type { ConfirmChannel } from 'amqplib';
import { Client } from 'pg';
import { Prisma, type PrismaClient } from '@minishop/db';
import {
  AmqpSession,
  backoffDelay,
  Counter,
  Gauge,
  inTraceOf,
  metrics,
  Sleeper,
  type Backoff,
  type Logger,
} from '@minishop/runtime';
import { toOutboxMessage, type OutboxRow } from './outbox-message';

/** The channel the orders.outbox AFTER INSERT trigger notifies on. */
export const OUTBOX_CHANNEL = 'outbox';

export interface OutboxRelayOptions {
  prisma: PrismaClient;
  /** For the dedicated LISTEN connection (a pooled Prisma connection cannot hold a LISTEN). */
  databaseUrl: string;
  amqpUrl: string;
  /** Topic exchange the events go to (declared durable). */
  exchange: string;
  logger: Logger;
  /** Rows claimed (and published) per transaction. */
  batchSize: number;
  /** Polling fallback when no NOTIFY arrives (missed while reconnecting, or rows whose backoff ended). */
  pollIntervalMs: number;
  /** Delay before a failed row is tried again, growing with its attempts. */
  retryBackoff: Backoff;
  /** Delay between AMQP / LISTEN reconnect attempts. */
  reconnectBackoff: Backoff;
  /** How long to wait for the broker's confirms of a batch before treating it as failed. */
  confirmTimeoutMs: number;
  /** Published rows older than this are deleted, checked every `cleanupIntervalMs`. */
  retentionMs: number;
  cleanupIntervalMs: number;
  /** Restricts the relay to these aggregates. Only for tests, which share one outbox table. */
  aggregateIds?: readonly string[];
}

const published = new Counter({
  name: 'outbox_events_published_total',
  help: 'Outbox events the relay published (broker confirmed), by event type',
  labelNames: ['event_type'] as const,
  registers: [metrics],
});
const publishFailures = new Counter({
  name: 'outbox_publish_failures_total',
  help: 'Outbox publish attempts that failed (nack, timeout, no channel) and were scheduled again, by event type',
  labelNames: ['event_type'] as const,
  registers: [metrics],
});
/** The relays of this process: the backlog gauges read the outbox through one of them at scrape time. */
const runningRelays = new Set<OutboxRelay>();
type Backlog = Awaited<ReturnType<OutboxRelay['backlog']>>;
let lastReading: { at: number; backlog: Promise<Backlog> } | null = null;

/** A gauge of the outbox backlog; both gauges of one scrape share one query. */
function backlogGauge(name: string, help: string, value: (backlog: Backlog) => number): void {
  new Gauge({
    name,
    help,
    labelNames: ['schema'] as const,
    registers: [metrics],
    async collect() {
      const relay = runningRelays.values().next().value;
      if (!relay) return;
      if (!lastReading || Date.now() - lastReading.at > 1_000) {
        lastReading = { at: Date.now(), backlog: relay.backlog() };
      }
      this.set({ schema: 'orders' }, value(await lastReading.backlog));
    },
  });
}
backlogGauge('outbox_backlog_events', 'Outbox events not yet published, by schema', (b) => b.events);
backlogGauge(
  'outbox_oldest_unpublished_age_seconds',
  'Age of the oldest unpublished outbox event (0 when none), by schema',
  (b) => b.oldestAgeSeconds,
);

interface Failure {
  row: OutboxRow;
  error: string;
}

/**
 * Publishes committed orders.outbox rows to RabbitMQ, at least once.
 *
 * Confirm/mark strategy: one transaction claims a batch with `FOR UPDATE SKIP LOCKED`, publishes it
 * on a confirm channel, waits for the broker's confirms and marks the confirmed rows published
 * before committing, so the row locks are held for the whole round trip. A second replica skips
 * the locked rows (no double publish while both run); a crash or broker loss before the commit
 * rolls the claim back and the rows are sent again later (duplicates are possible, losses are not;
 * consumers are idempotent by event id). Holding a transaction across the publish costs one
 * connection per replica for at most `confirmTimeoutMs`, which is cheaper and simpler than a
 * claim-then-mark design with a lease column (which the schema does not have).
 */
export class OutboxRelay {
  private channel: ConfirmChannel | null = null;
  private listener: Client | null = null;
  private stopped = false;
  private loops: Promise<void>[] = [];
  private lastCleanup = 0;
  private isListening = false;
  private readonly wakeUp = new Sleeper();
  private readonly listenRetry = new Sleeper();
  private readonly session: AmqpSession;

  constructor(private readonly options: OutboxRelayOptions) {
    this.session = new AmqpSession({
      url: options.amqpUrl,
      logger: options.logger,
      reconnect: options.reconnectBackoff,
      onConnect: async (model) => {
        const channel = await model.createConfirmChannel();
        // A channel error (e.g. the exchange vanished) closes the channel: start over on a new connection.
        channel.on('error', (error: Error) => options.logger.warn({ err: error }, 'relay channel error'));
        channel.on('close', () => {
          if (this.channel === channel) this.channel = null;
          void model.close().catch(() => undefined);
        });
        await channel.assertExchange(options.exchange, 'topic', { durable: true });
        this.channel = channel;
        this.wakeUp.wake();
      },
      onDisconnect: () => {
        this.channel = null;
      },
    });
  }

  /** True when the relay can publish (broker connected); LISTEN is optional thanks to polling. */
  get ready(): boolean {
    return this.session.connected && this.channel !== null;
  }

  /** True while the LISTEN connection is open (NOTIFY wakes the relay); otherwise it only polls. */
  get listening(): boolean {
    return this.isListening;
  }

  start(): void {
    if (this.loops.length > 0) return;
    runningRelays.add(this);
    this.session.start();
    this.loops = [this.relayLoop(), this.listenLoop()];
  }

  /** Stops claiming, lets the batch in flight finish, and closes the broker and LISTEN connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    runningRelays.delete(this);
    this.wakeUp.wake();
    this.listenRetry.wake();
    await this.listener?.end().catch(() => undefined);
    await Promise.all(this.loops);
    await this.session.stop();
  }

  /** How many outbox rows wait to be published, and how old the oldest is (for the metrics). */
  async backlog(): Promise<{ events: number; oldestAgeSeconds: number }> {
    const [row] = await this.options.prisma.$queryRaw<{ events: bigint; age: number | null }[]>`
      SELECT count(*) AS events, extract(epoch FROM now() - min(created_at))::float8 AS age
      FROM orders.outbox WHERE published_at IS NULL`;
    return { events: Number(row?.events ?? 0), oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
  }

  /** Deletes published rows older than the retention; returns how many. */
  async cleanup(): Promise<number> {
    const { retentionMs } = this.options;
    return this.options.prisma.$executeRaw`
      DELETE FROM orders.outbox
      WHERE published_at < now() - ${retentionMs} * interval '1 millisecond' ${this.aggregateFilter()}`;
  }

  private async relayLoop(): Promise<void> {
    const { logger, batchSize, pollIntervalMs, cleanupIntervalMs } = this.options;
    while (!this.stopped) {
      let claimed = 0;
      const channel = this.channel;
      try {
        if (channel) claimed = await this.relayBatch(channel);
        if (Date.now() - this.lastCleanup >= cleanupIntervalMs) {
          this.lastCleanup = Date.now();
          const deleted = await this.cleanup();
          if (deleted > 0) logger.info({ deleted }, 'deleted published outbox rows past retention');
        }
      } catch (error) {
        logger.error({ err: error }, 'outbox batch failed');
      }
      // A full batch suggests more is waiting; otherwise sleep until NOTIFY, a (re)connect or the poll.
      if (this.stopped || (channel && claimed === batchSize)) continue;
      await this.wakeUp.sleep(pollIntervalMs);
    }
  }

  /** Claims, publishes and marks one batch in one transaction; returns the number of rows claimed. */
  private async relayBatch(channel: ConfirmChannel): Promise<number> {
    const { prisma, batchSize, confirmTimeoutMs, logger } = this.options;
    const batch = await prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<OutboxRow[]>`
          SELECT id, type, aggregate_id AS "aggregateId", payload, traceparent, created_at AS "createdAt", attempts
          FROM orders.outbox
          WHERE published_at IS NULL AND available_at <= now() ${this.aggregateFilter()}
          ORDER BY created_at, id
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return { claimed: 0, confirmed: [], failures: [] };
        const failures = await this.publish(channel, rows);
        const failed = new Set(failures.map((failure) => failure.row.id));
        const confirmed = rows.filter((row) => !failed.has(row.id));
        if (confirmed.length > 0) {
          await tx.$executeRaw`
            UPDATE orders.outbox SET published_at = now(), attempts = attempts + 1
            WHERE id = ANY(${confirmed.map((row) => row.id)}::uuid[])`;
        }
        for (const { row, error } of failures) {
          const delayMs = backoffDelay(this.options.retryBackoff, row.attempts + 1);
          await tx.$executeRaw`
            UPDATE orders.outbox
            SET attempts = attempts + 1, last_error = ${error},
                available_at = now() + ${delayMs} * interval '1 millisecond'
            WHERE id = ${row.id}::uuid`;
        }
        if (failures.length > 0) {
          logger.warn(
            { failed: failures.length, published: confirmed.length, error: failures[0]?.error },
            'outbox publish failed; backing off',
          );
        } else {
          logger.debug({ published: confirmed.length }, 'outbox batch published');
        }
        return { claimed: rows.length, confirmed, failures };
      },
      { maxWait: 10_000, timeout: confirmTimeoutMs + 10_000 },
    );
    // Counted once committed: a rollback sends the rows again.
    for (const row of batch.confirmed) published.inc({ event_type: row.type });
    for (const { row } of batch.failures) publishFailures.inc({ event_type: row.type });
    return batch.claimed;
  }

  /** Publishes every row and waits for each confirm (or the timeout); returns the rows that failed. */
  private async publish(channel: ConfirmChannel, rows: OutboxRow[]): Promise<Failure[]> {
    const { exchange, confirmTimeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no broker confirm within ${confirmTimeoutMs} ms`)), confirmTimeoutMs);
    });
    const results = await Promise.allSettled(
      rows.map((row) => {
        const confirmed = new Promise<void>((resolve, reject) => {
          const message = toOutboxMessage(row);
          try {
            // In the trace of the request that wrote the row: the amqplib instrumentation's publish
            // span hangs off it and replaces the message's traceparent with its own.
            inTraceOf(row.traceparent, () =>
              channel.publish(exchange, message.routingKey, message.content, message.options, (error: unknown) =>
                error
                  ? reject(error instanceof Error ? error : new Error(`broker nacked: ${String(error)}`))
                  : resolve(),
              ),
            );
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        return Promise.race([confirmed, timeout]);
      }),
    );
    clearTimeout(timer);
    return results.flatMap((result, index) =>
      result.status === 'rejected' ? [{ row: rows[index] as OutboxRow, error: errorMessage(result.reason) }] : [],
    );
  }

  /** Keeps a LISTEN connection open; each NOTIFY (and each reconnect, which may have missed some) wakes the relay. */
  private async listenLoop(): Promise<void> {
    const { databaseUrl, logger, reconnectBackoff } = this.options;
    let failures = 0;
    while (!this.stopped) {
      const client = new Client({ connectionString: databaseUrl });
      try {
        const ended = new Promise<void>((resolve) => client.once('end', resolve));
        client.on('error', (error) => logger.warn({ err: error }, 'outbox LISTEN connection error'));
        client.on('notification', () => this.wakeUp.wake());
        this.listener = client;
        await client.connect();
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
        this.isListening = true;
        failures = 0;
        this.wakeUp.wake();
        await ended;
      } catch (error) {
        failures += 1;
        await client.end().catch(() => undefined);
        if (!this.stopped) logger.warn({ err: error }, 'outbox LISTEN failed; polling until it reconnects');
      }
      this.listener = null;
      this.isListening = false;
      if (!this.stopped) await this.listenRetry.sleep(backoffDelay(reconnectBackoff, failures));
    }
  }

  private aggregateFilter(): Prisma.Sql {
    const ids = this.options.aggregateIds;
    return ids ? Prisma.sql`AND aggregate_id = ANY(${[...ids]}::uuid[])` : Prisma.empty;
  }
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 1000);
}
