// The test order of `npm run mutate`: jest's, less the test files that hold none of the tests asked
// for. Stryker runs each mutant with the files that import the mutated file and a pattern of the
// tests that reach it; jest would load every one of those files (seconds each) to run none of their
// tests. A file is left out only when all the files were seen before in this process, so every test
// name is known (mutate-environment.js); otherwise all run, as jest would run them.
import Sequencer from '@jest/test-sequencer'

const seen = () => globalThis.__mutateTestFiles ?? { names: new Map(), files: new Set() }

export default class MutateSequencer extends Sequencer {
  constructor(options) {
    super(options)
    this.pattern = options.globalConfig.testNamePattern
  }

  sort(tests) {
    const sorted = super.sort(tests)
    const { names, files } = seen()
    if (!this.pattern || !sorted.every(t => files.has(t.path))) return sorted
    const re = new RegExp(this.pattern, 'i')
    const wanted = new Set([...names].filter(([name]) => re.test(name)).flatMap(([, files]) => [...files]))
    const kept = sorted.filter(t => wanted.has(t.path))
    return kept.length > 0 ? kept : sorted
  }
}
