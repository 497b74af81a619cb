import { connect, type ChannelModel } from 'amqplib';
import type { Logger } from './logger';
import { backoffDelay, Sleeper, type Backoff } from './backoff';

export interface AmqpSessionOptions {
  url: string;
  logger: Logger;
  /** Delay between reconnect attempts (grows with consecutive failures). */
  reconnect: Backoff;
  /**
   * Runs after every (re)connection to open channels and declare the topology. A throw closes the
   * connection and schedules another attempt; closing a channel it opened should close `model`
   * (the session then reconnects and runs this again).
   */
  onConnect: (model: ChannelModel) => Promise<void>;
  /** Runs when a live connection is lost (before the reconnect). */
  onDisconnect?: () => void;
}

/**
 * Keeps one AMQP connection open until `stop()`: connects with backoff, sets up through `onConnect`,
 * and starts over whenever the broker goes away (restart, network, a channel error).
 */
export class AmqpSession {
  private model: ChannelModel | null = null;
  private ready = false;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private readonly sleeper = new Sleeper();

  constructor(private readonly options: AmqpSessionOptions) {}

  /** True while connected and set up. */
  get connected(): boolean {
    return this.ready;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.wake();
    await this.model?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(): Promise<void> {
    const { url, logger, reconnect, onConnect, onDisconnect } = this.options;
    let failures = 0;
    while (!this.stopped) {
      try {
        const model = await connect(url);
        this.model = model;
        const closed = new Promise<Error | undefined>((resolve) =>
          model.once('close', (error?: Error) => resolve(error)),
        );
        model.on('error', (error: Error) => logger.warn({ err: error }, 'amqp connection error'));
        if (this.stopped) {
          await model.close().catch(() => undefined);
          break;
        }
        await onConnect(model);
        this.ready = true;
        failures = 0;
        logger.info('amqp connected');
        const error = await closed;
        this.ready = false;
        this.model = null;
        if (!this.stopped) {
          logger.warn({ err: error }, 'amqp connection lost; reconnecting');
          onDisconnect?.();
        }
      } catch (error) {
        this.ready = false;
        await this.model?.close().catch(() => undefined);
        this.model = null;
        failures += 1;
        if (!this.stopped) logger.warn({ err: error, failures }, 'amqp connect failed; retrying');
      }
      if (!this.stopped) await this.sleeper.sleep(backoffDelay(reconnect, failures));
    }
  }
}
