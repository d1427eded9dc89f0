/**
 * `npm run soak` (not in CI): mixed traffic through serverless-offline for SOAK_SECONDS
 * (default 600), checking that the process's memory stays flat and no handles leak.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/soak'],
  testMatch: ['**/*.soak.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['<rootDir>/tests/support/jestSetup.ts'],
};
