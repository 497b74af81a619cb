import { ConfigError } from './config';
import type { Logger } from './logger';
import { startProcessMetrics } from './metrics';
import { stopTracing } from './tracing';

/** A step of ordered shutdown: run in reverse order of registration. */
export type Closer = () => Promise<void> | void;

export interface ProcessScope {
  /** Registers a resource to close on shutdown (last registered closes first). */
  onShutdown: (closer: Closer) => void;
}

/**
 * Runs a long-lived process: `start` builds and starts everything, registering closers. SIGTERM or
 * SIGINT closes them in reverse order and exits 0; a start failure (bad config, port taken) is
 * printed plainly and exits 1. Metrics are labelled with `name` and include the Node runtime's.
 */
export function runProcess(name: string, start: (scope: ProcessScope) => Promise<Logger>): void {
  startProcessMetrics(name);
  const closers: Closer[] = [];
  let logger: Logger | undefined;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger?.info({ signal }, 'shutting down');
    let exitCode = 0;
    for (const closer of closers.reverse()) {
      try {
        await closer();
      } catch (error) {
        exitCode = 1;
        logger?.error({ err: error }, 'shutdown step failed');
      }
    }
    await stopTracing().catch((error: unknown) => logger?.warn({ err: error }, 'spans not exported'));
    process.exit(exitCode);
  };

  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  start({ onShutdown: (closer) => closers.push(closer) })
    .then((startedLogger) => {
      logger = startedLogger;
    })
    .catch(async (error: unknown) => {
      const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name}: failed to start: ${message}\n`);
      for (const closer of closers.reverse()) await Promise.resolve(closer()).catch(() => undefined);
      process.exit(1);
    });
}
