// The system under test of the end-to-end suite (Playwright's webServer): the test stack (npm test
// has started it; started and stopped here otherwise), migrations, seed data, the web app's
// production build, and every process (subgraphs, workers, router serving the build) on the dev
// ports, the web safelist enforced. Runs until SIGTERM.
import path from 'node:path';
import { repoRoot } from '@minishop/runtime';
import { runStep, stack, stackUp, startServices, stopServices, type Service } from '../../scripts/dev/processes';

process.env.STACK_PROFILE ??= 'test';
const ROUTER_PORT = Number(process.env.PORT ?? 4000);

async function main(): Promise<void> {
  const stackWasRunning = stack('status', true).status === 0;
  const env: NodeJS.ProcessEnv = {
    ...stackUp(),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    WEB_DIST_DIR: path.join(repoRoot, 'web/dist'),
    // The app must get by with its safelisted operations alone (web.json), over HTTP and WebSocket.
    FIRST_PARTY_SAFELIST: 'enforce',
  };
  runStep('migrations', 'db:migrate', env);
  runStep('seed', 'db:seed', env);
  runStep('web build', 'web:build', env);
  let services: Service[] = [];
  const stop = async () => {
    await stopServices(services);
    if (!stackWasRunning) stack('down', true);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  services = await startServices(env, ROUTER_PORT, (name, line) => process.stdout.write(`[${name}] ${line}\n`));
  process.stdout.write(`[e2e] shop ready at http://127.0.0.1:${ROUTER_PORT}/\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[e2e] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
