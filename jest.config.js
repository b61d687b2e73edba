/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type-checks each test's imports (no isolatedModules); TS151002 only warns that Node16 module mode is hybrid.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: { ignoreCodes: [151002] } }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['reflect-metadata', '<rootDir>/test/helpers/env.ts'],
  testTimeout: 60000,
  // Some client libraries keep sockets half-open for a while after close(); never let that hang CI.
  forceExit: true,
};
