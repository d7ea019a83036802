// ESM TypeScript under jest: ts-jest compiles, node's VM modules run it (see "test" in package.json).
//
// Two lanes, by file name, each a jest project:
// - unit (`__tests__/*.unit.test.ts`, `npm run test:unit`): no emulator, no Python, no test proxy; its
//   environment leaves MOTO_SERVER naming nothing, so a test that reaches for moto fails, saying so;
// - emulator (every other `__tests__/*.test.ts`): against moto server, found (or installed) once before the
//   workers start; each worker starts one moto server and keeps it for all its test files.
// `npm test` runs both.
const common = {
  testEnvironment: '<rootDir>/__tests__/support/environment.js',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }
    ]
  }
}

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.unit.test.ts'],
      testEnvironmentOptions: { lane: 'unit' }
    },
    {
      ...common,
      displayName: 'emulator',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.unit\\.test\\.ts$'],
      testEnvironmentOptions: { lane: 'emulator' },
      // moto server found (or installed) once, before the workers start; only when a test of this lane runs
      globalSetup: '<rootDir>/__tests__/support/global-setup.mjs'
    }
  ],
  // (jest takes these for all projects)
  testTimeout: 60000,
  // A worker holds nothing open at the end (no moto pipe, no server, no timer: it exits 1-2 ms after jest
  // asks), but taking down a worker of ~700 MB on two busy cores takes more than jest's default 500 ms, and
  // jest then reports it as "failed to exit gracefully".
  workerGracefulExitTimeout: 5000,
  // two cores
  maxWorkers: 2
}
