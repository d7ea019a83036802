// ESM TypeScript under jest: ts-jest compiles, node's VM modules run it (see "test" in package.json).
export default {
  testEnvironment: '<rootDir>/__tests__/support/environment.js',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }
    ]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // moto server found (or installed) once, before the workers start
  globalSetup: '<rootDir>/__tests__/support/global-setup.mjs',
  testTimeout: 60000,
  // moto server per test file; two cores
  maxWorkers: 2
}
