// The tests Stryker runs against each mutant (npm run mutate, stryker.config.mjs): the unit lane of
// jest.config.js (no moto, so no globalSetup that looks for it), as one config of its own.
import { fileURLToPath } from 'node:url'
import base from './jest.config.js'

const unit = base.projects.find(p => p.displayName === 'unit')

export default {
  ...unit,
  displayName: undefined,
  // a path, not <rootDir>: Stryker wraps the environment and resolves its name itself
  testEnvironment: fileURLToPath(new URL('./__tests__/support/mutate-environment.js', import.meta.url)),
  // a mutant's run loads only the test files that hold the tests asked for
  testSequencer: '<rootDir>/__tests__/support/mutate-sequencer.js',
  testTimeout: 30000
}
