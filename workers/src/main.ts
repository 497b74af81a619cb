// The workers process: the outbox relay and the event consumers (all, or those named in WORKERS),
// plus /health/live, /health/ready and /metrics on WORKERS_PORT.
import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma, pingDatabase } from '@minishop/db';
import {
  closeServer,
  createHttpServer,
  createLogger,
  healthRoutes,
  listen,
  metricsRoutes,
  runProcess,
} from '@minishop/runtime';
import { readWorkersConfig } from './config';
import { createWorkers } from './workers';

runProcess('workers', async (scope) => {
  const config = readWorkersConfig();
  const logger = createLogger('workers', config.LOG_LEVEL);
  const prisma = connectPrisma(config.DATABASE_URL, scope);
  const workers = createWorkers(config, prisma, logger);

  const server = createHttpServer(
    {
      ...healthRoutes({
        ready: async () => {
          await pingDatabase(prisma);
          const waiting = workers.filter((worker) => !worker.task.ready).map((worker) => worker.name);
          if (waiting.length > 0) throw new Error(`not connected to RabbitMQ: ${waiting.join(', ')}`);
        },
      }),
      ...metricsRoutes(),
    },
    (error) => logger.error({ err: error }, 'health or metrics endpoint failed'),
  );
  const port = await listen(server, config.WORKERS_PORT, config.HOST);
  scope.onShutdown(() => closeServer(server));

  for (const worker of workers) {
    worker.task.start();
    scope.onShutdown(() => worker.task.stop());
  }
  logger.info({ port, workers: config.WORKERS }, 'workers started');
  return logger;
});
