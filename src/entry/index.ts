import { readFileSync, realpathSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import * as core from '@actions/core'
import { StateKeys } from '../base/constants.js'
import { run, runPost } from './main.js'

// One bundle, three ways in: the CLI (bin/cortex-rest-gateway.js), the action's post step
// (the runner passes the main step's state back), and the action's main step.
if (/^cortex-rest-gateway(\.[cm]?js)?$/.test(basename(process.argv[1] ?? ''))) {
  const { runCli } = await import(/* webpackMode: "eager" */ './cli.js')
  process.exitCode = await runCli(process.argv.slice(2), {
    out: t => process.stdout.write(`${t}\n`),
    err: t => process.stderr.write(`${t}\n`),
    env: process.env,
    // the package's own package.json, beside the bin/ that started this (a path ncc does not follow)
    version: () =>
      (
        JSON.parse(
          readFileSync(join(dirname(realpathSync(process.argv[1])), '..', 'package.json'), 'utf8')
        ) as { version: string }
      ).version
  })
} else if (core.getState(StateKeys.IsPost) === 'true') {
  await runPost()
} else {
  await run()
}
