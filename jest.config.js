/** @typedef {import('jest').Config} Config */

// Test tiers by file name: `*.spec.ts` are pure unit tests, `*.int.spec.ts` run against the real
// Postgres/Redis/RabbitMQ of the test stack (started by scripts/test.sh) and real servers on port 0.
/** @type {Config['transform']} */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023' } }] };
const roots = [
  '<rootDir>/subgraphs',
  '<rootDir>/router',
  '<rootDir>/workers',
  '<rootDir>/prisma',
  '<rootDir>/schema',
  '<rootDir>/deploy',
  '<rootDir>/scripts',
];

/** @type {Config} */
const config = {
  projects: [
    {
      displayName: 'unit',
      roots,
      transform,
      testEnvironment: 'node',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.spec\\.ts$'],
    },
    {
      displayName: 'integration',
      roots,
      transform,
      testEnvironment: 'node',
      testMatch: ['**/*.int.spec.ts'],
      globalSetup: '<rootDir>/scripts/jest/global-setup.ts',
    },
  ],
};

module.exports = config;
