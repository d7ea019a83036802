// Mutation testing (npm run mutate): Stryker changes the pure core one small edit at a time and
// runs the fast tests (jest.mutate.config.js, no moto) against each change; a change no test
// notices is a surviving mutant. Files are chosen by glob so that moves inside these folders keep
// them in.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutate.config.js', enableFindRelatedTests: true },
  // ESM under jest, as `npm test` runs it
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings'],
  coverageAnalysis: 'perTest',
  mutate: [
    // the planner
    'src/core/**/*.ts',
    // the feature planners
    'src/features/**/plan*.ts',
    'src/features/**/plan*/**/*.ts',
    // inputs
    'src/features/**/inputs*.ts',
    'src/config/**/*.ts',
    // ownership, safe text, retry classification
    'src/model/ownership.ts',
    'src/report/safe-text.ts',
    'src/aws/retry.ts'
  ],
  // dist/ is copied: the unit lane's CODEOWNERS test checks that the paths it names exist
  ignorePatterns: ['.bench', '.venv', 'coverage', 'reports'],
  // module-level constants run once per test file, not per test: too slow to test one at a time
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: 80 },
  // a second run re-tests only the mutants whose code or tests changed (a fresh clone runs all)
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always'
}
