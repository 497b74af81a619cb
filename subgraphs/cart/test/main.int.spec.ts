import path from 'node:path';
import { runToExit } from '../../../scripts/jest/run-to-exit';

describe('cart process start-up', () => {
  it('exits non-zero naming every bad variable', async () => {
    const { code, stderr } = await runToExit(path.resolve(__dirname, '../src/main.ts'), [], {
      REDIS_URL: 'http://nope',
      PRODUCTS_URL: 'ftp://products',
      CART_TTL_SECONDS: '0',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/cart: failed to start: invalid configuration/);
    expect(stderr).toMatch(/REDIS_URL: must be a redis:\/\/ URL/);
    expect(stderr).toMatch(/PRODUCTS_URL: must be an http\(s\):\/\/ URL/);
    expect(stderr).toMatch(/CART_TTL_SECONDS: /);
  });
});
