import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { createLogger, runProcess } from '@minishop/runtime';
import { readRouterConfig } from './config';
import { startRouter } from './server';

runProcess('router', async ({ onShutdown }) => {
  const config = readRouterConfig();
  const logger = createLogger('router', config.logLevel);
  const router = await startRouter(config, logger);
  onShutdown(router.stop);
  return logger;
});
