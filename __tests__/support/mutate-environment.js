// The test environment of `npm run mutate` (jest.mutate.config.js): the shared one, which also notes
// the full name of every test a file defines, for mutate-sequencer.js. Names are noted as jest
// collects them (add_test), so a file's tests are all known once it has run, whichever of them ran.
import SharedErrorEnvironment from './environment.js'

/** Test full name -> the test files that have it, for this process (Stryker runs a worker's tests in band). */
export const testFiles = (globalThis.__mutateTestFiles ??= { names: new Map(), files: new Set() })

const blockName = block => (block?.parent ? `${blockName(block.parent)} ${block.name}`.trimStart() : '')

export default class MutateEnvironment extends SharedErrorEnvironment {
  constructor(config, context) {
    super(config, context)
    this.testPath = context.testPath
  }

  handleTestEvent(event, state) {
    if (event.name === 'add_test') {
      const name = `${blockName(state.currentDescribeBlock)} ${event.testName}`.trimStart()
      testFiles.names.set(name, (testFiles.names.get(name) ?? new Set()).add(this.testPath))
    } else if (event.name === 'run_finish') {
      testFiles.files.add(this.testPath)
    }
  }
}
