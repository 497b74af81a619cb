// The `web` process: the web app's production build on its own port (for deployments that serve it
// apart from the router, behind one ingress host: `/graphql` to the router, everything else here).
import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import {
  closeServer,
  createHttpServer,
  createLogger,
  healthRoutes,
  listen,
  readConfig,
  runProcess,
} from '@minishop/runtime';
import { webAppHandler, webServerConfigShape } from './web-app';

runProcess('web', async (scope) => {
  const config = readConfig(webServerConfigShape);
  const logger = createLogger('web', config.LOG_LEVEL);
  const server = createHttpServer(
    healthRoutes({ ready: async () => undefined }),
    (error) => logger.error({ err: error }, 'request failed'),
    webAppHandler(config.WEB_DIST_DIR),
  );
  const port = await listen(server, config.PORT, config.HOST);
  scope.onShutdown(() => closeServer(server));
  logger.info({ port, distDir: config.WEB_DIST_DIR }, 'web app served');
  return logger;
});
