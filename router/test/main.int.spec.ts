import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runToExit } from '../../scripts/jest/run-to-exit';

const keyFile = path.join(tmpdir(), `minishop-router-key-${process.pid}.json`);
const runRouter = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runToExit(path.resolve(__dirname, '../src/main.ts'), args, {
    PORT: '0',
    REDIS_URL: String(process.env.REDIS_URL),
    AMQP_URL: String(process.env.AMQP_URL),
    ROUTER_KEY_FILE: keyFile,
    ...env,
  });

// Each test starts a TypeScript process (tsx): seconds on a busy machine, beyond jest's 5 s default.
const PROCESS_TIMEOUT_MS = 30_000;

afterAll(() => rmSync(keyFile, { force: true }));

describe('router process start-up', () => {
  it(
    'exits non-zero when the supergraph file does not exist',
    async () => {
      const { code, stderr } = await runRouter(['--supergraph', '/nonexistent/supergraph.graphql']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/router: failed to start: .*\/nonexistent\/supergraph\.graphql/);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'exits non-zero naming a bad subgraph URL override',
    async () => {
      const { code, stderr } = await runRouter([], { SUBGRAPH_URL_USERS: 'not a url' });
      expect(code).toBe(1);
      expect(stderr).toMatch(/SUBGRAPH_URL_USERS: /);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'rejects unknown command-line flags',
    async () => {
      const { code, stderr } = await runRouter(['--supergrph', 'x']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/--supergrph/);
    },
    PROCESS_TIMEOUT_MS,
  );
});
