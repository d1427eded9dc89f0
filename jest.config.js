/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // The proofs on Ceph RGW run with `npm run test:faults` (jest.faults.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/faults/'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  // Every log line of the suite is captured and, at the end, scanned for secrets.
  setupFiles: ['<rootDir>/tests/support/logCapture/captureLogs.ts', '<rootDir>/tests/support/jestSetup.ts'],
  // Also gives the run one directory where the stack is packaged once (tests/support/packagedStack.ts).
  globalSetup: '<rootDir>/tests/support/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/support/globalTeardown.ts',
  testTimeout: 60000,
};
