import { createServer, type Server } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runToExit } from '../../../scripts/jest/run-to-exit';

const runMain = (env: NodeJS.ProcessEnv) => runToExit(path.resolve(__dirname, '../src/main.ts'), [], env);

describe('subgraph process start-up', () => {
  it('exits non-zero naming every bad variable', async () => {
    const { code, stderr } = await runMain({ DATABASE_URL: 'mysql://nope', PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/users: failed to start: invalid configuration/);
    expect(stderr).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(stderr).toMatch(/PORT: /);
    expect(stderr).toMatch(/LOG_LEVEL: /);
  });

  it('exits non-zero naming a port that is already taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const keyFile = path.join(tmpdir(), `minishop-key-${port}.json`);
    try {
      const { code, stderr } = await runMain({
        DATABASE_URL: String(process.env.DATABASE_URL),
        PORT: String(port),
        JWT_SIGNING_KEY_FILE: keyFile,
      });
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      rmSync(keyFile, { force: true });
    }
  });
});
