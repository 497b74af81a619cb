import path from 'node:path';
import { runToExit } from '../../scripts/jest/run-to-exit';

const runRouter = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runToExit(path.resolve(__dirname, '../src/main.ts'), args, { PORT: '0', ...env });

describe('router process start-up', () => {
  it('exits non-zero when the supergraph file does not exist', async () => {
    const { code, stderr } = await runRouter(['--supergraph', '/nonexistent/supergraph.graphql']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/router: failed to start: .*\/nonexistent\/supergraph\.graphql/);
  });

  it('exits non-zero naming a bad subgraph URL override', async () => {
    const { code, stderr } = await runRouter([], { SUBGRAPH_URL_USERS: 'not a url' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/SUBGRAPH_URL_USERS: /);
  });

  it('rejects unknown command-line flags', async () => {
    const { code, stderr } = await runRouter(['--supergrph', 'x']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--supergrph/);
  });
});
