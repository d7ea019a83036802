// The tests Stryker runs against each mutant (npm run mutate, stryker.config.mjs): the fast ones,
// which need no moto, so no globalSetup that looks for it. Compiled as jest.config.js compiles.
import { fileURLToPath } from 'node:url'
import base from './jest.config.js'

export default {
  ...base,
  globalSetup: undefined,
  // a path, not <rootDir>: Stryker wraps the environment and resolves its name itself
  testEnvironment: fileURLToPath(new URL('./__tests__/support/mutate-environment.js', import.meta.url)),
  // a mutant's run loads only the test files that hold the tests asked for
  testSequencer: '<rootDir>/__tests__/support/mutate-sequencer.js',
  testMatch: [
    '<rootDir>/__tests__/*.unit.test.ts',
    '<rootDir>/__tests__/plan.test.ts',
    '<rootDir>/__tests__/inputs.test.ts',
    '<rootDir>/__tests__/safe-text.test.ts'
  ],
  testTimeout: 30000
}
