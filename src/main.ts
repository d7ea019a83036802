import * as core from '@actions/core'
import { context } from '@actions/github'
import { Outputs, type InputName } from './constants.js'
import { runEngine, type Provenance, type RunResult } from './engine.js'
import { errorMessage } from './errors.js'
import { parseConfig } from './inputs.js'
import type { Log } from './log.js'

const actionsLog: Log = {
  info: (m) => core.info(m),
  debug: (m) => core.debug(m),
  warning: (m) => core.warning(m),
  notice: (m) => core.notice(m),
  group: (name, fn) => core.group(name, fn)
}

function provenance(): Provenance {
  const repository = process.env.GITHUB_REPOSITORY ? `${context.repo.owner}/${context.repo.repo}` : undefined
  return { repository, workflow: context.workflow || undefined }
}

/** The action's entry point: inputs → engine → outputs. Every failure ends in core.setFailed. */
export async function run(): Promise<RunResult | undefined> {
  try {
    const config = parseConfig((name: InputName) => core.getInput(name))
    core.info(`${config.mode} REST gateway "${config.apiName}" in ${config.region} (stage ${config.stage})`)
    const result = await runEngine({ config, log: actionsLog, provenance: provenance() })
    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value)
    core.setOutput(Outputs.Result, result.outcome)
    const writes = result.calls.filter((c) => c.write).length
    core.info(`Done: ${result.outcome} (${result.calls.length} AWS calls, ${writes} writes)`)
    if (result.outputs[Outputs.InvokeUrl]) core.info(`Invoke URL: ${result.outputs[Outputs.InvokeUrl]}`)
    return result
  } catch (error) {
    core.setFailed(errorMessage(error))
    return undefined
  }
}
