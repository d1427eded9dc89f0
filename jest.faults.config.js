/**
 * `npm run test:faults`: the proofs that need a real S3 gateway (Ceph RGW, started by
 * tests/sandbox/rgw/start.sh) and the fault matrix run against it. Kept apart from `npm test`,
 * which needs no RGW; `.ci/run` runs both.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/faults'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['<rootDir>/tests/support/logCapture/captureLogs.ts', '<rootDir>/tests/support/jestSetup.ts'],
  globalSetup: '<rootDir>/tests/faults/requireRgw.ts',
  globalTeardown: '<rootDir>/tests/support/logCapture/scanCapturedLogs.ts',
  testTimeout: 180000,
};
