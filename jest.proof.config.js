/**
 * `npm run test:proof`: the proofs that take minutes of wall-clock time, such as the shared
 * rate budget across eight execution environments (each its own Node process) measured over a
 * whole minute of Feishu's clock. Kept apart from `npm test`; `.ci/run` runs them too.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/proof'],
  testMatch: ['**/*.proof.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['<rootDir>/tests/support/logCapture/captureLogs.ts', '<rootDir>/tests/support/jestSetup.ts'],
  globalTeardown: '<rootDir>/tests/support/logCapture/scanCapturedLogs.ts',
  testTimeout: 300000,
};
