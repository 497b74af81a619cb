import { execFileSync } from 'node:child_process';
import path from 'node:path';

const repoDir = path.resolve(__dirname, '../..');

/**
 * Points the integration tests at the test stack (its own Postgres/Redis/RabbitMQ, never the dev
 * data), then migrates and seeds its database. scripts/test.sh starts that stack; running jest by
 * hand needs `STACK_PROFILE=test npm run stack:up` first.
 */
export default function globalSetup(): void {
  const stack = path.join(repoDir, 'deploy/local/stack.sh');
  const testEnv = { ...process.env, STACK_PROFILE: 'test' };
  try {
    execFileSync('bash', [stack, 'status'], { env: testEnv, stdio: 'pipe' });
  } catch {
    throw new Error('the test stack is not running: use `npm test`, or `STACK_PROFILE=test npm run stack:up` first');
  }
  const urls = execFileSync('bash', [stack, 'env'], { env: testEnv, encoding: 'utf8' });
  for (const line of urls.trim().split('\n')) {
    const [name, ...value] = line.split('=');
    if (name) process.env[name] = value.join('=');
  }
  process.env.LOG_LEVEL ??= 'warn';
  for (const script of ['db:migrate', 'db:seed']) {
    execFileSync('npm', ['run', '--silent', script], { cwd: repoDir, env: process.env, stdio: 'inherit' });
  }
}
