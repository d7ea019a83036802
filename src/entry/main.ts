import * as core from '@actions/core'
import { Inputs, Outputs, StateKeys, type InputName, type OutputName } from '../base/constants.js'
import { runEngine, type Created, type Provenance, type RunResult } from '../engine/engine.js'
import { errorMessage } from '../base/errors.js'
import { parseConfig, type Config, type DeleteConfig } from '../config/inputs.js'
import { safeLog, type Log } from '../report/log.js'
import { logLine, outputValue } from '../report/safe-text.js'
import { renderFailure, renderSummary } from '../report/summary.js'
import { parsePreviews, PreviewInputs } from '../features/previews/inputs.js'
import { Previews, type SavedPreviews } from '../features/previews/previews.js'
import { counted } from '../report/words.js'

/** The workflow log; every line of it goes through safeLog, whatever values a message holds. */
const actionsLog: Log = safeLog({
  info: m => core.info(m),
  debug: m => core.debug(m),
  warning: m => core.warning(m),
  notice: m => core.notice(m),
  group: (name, fn) => core.group(name, fn)
})

/** A failure: one safe line in the log and the annotation. */
const fail = (message: string): void => core.setFailed(logLine(message))

/** The repository and workflow for the tags; @actions/github loads while discovery runs. */
async function provenance(): Promise<Provenance> {
  const { context } = await import(/* webpackMode: "eager" */ '@actions/github')
  const repository = process.env.GITHUB_REPOSITORY ? `${context.repo.owner}/${context.repo.repo}` : undefined
  return { repository, workflow: context.workflow || undefined }
}

/** What the post step needs to delete the gateway: saved by the main step with delete-on-exit. */
interface Cleanup {
  owner: string
  apiName: string
  region: string
  stage: string
  timeoutSeconds: number
  failOnCleanupError: boolean
  /** What the main step made, saved again the moment each exists: all the post step may delete. */
  created: { apiIds: string[]; vpcLinkIds: string[] }
  /** What the main step used but found already there: left by the post step, which says so. */
  found?: { apiId?: string; vpcLinkId?: string }
}

/**
 * The post step's record of a create with delete-on-exit: saved before any write, and again as each thing is
 * made, so that a run that fails half-way is cleaned up too; and, at the end, what it found already there.
 */
function cleanupRecord(config: Config): {
  cleanup?: Cleanup
  onCreated: (made: Created) => void
  found: (result: RunResult) => void
} {
  if (config.mode !== 'create' || !config.deleteOnExit || config.dryRun)
    return { onCreated: () => undefined, found: () => undefined }
  const cleanup: Cleanup = {
    owner: config.owner,
    apiName: config.apiName,
    region: config.region,
    stage: config.stage,
    timeoutSeconds: config.timeoutSeconds,
    failOnCleanupError: config.failOnCleanupError,
    created: { apiIds: [], vpcLinkIds: [] }
  }
  const save = (): void => core.saveState(StateKeys.Cleanup, JSON.stringify(cleanup))
  save()
  return {
    cleanup,
    onCreated: made => {
      if (made.kind === 'api') cleanup.created.apiIds.push(made.id)
      else cleanup.created.vpcLinkIds.push(made.id)
      save()
    },
    found: result => {
      const apiId = result.outputs[Outputs.ApiId]
      const vpcLinkId = result.outputs[Outputs.VpcLinkId]
      cleanup.found = {
        apiId: apiId && !cleanup.created.apiIds.includes(apiId) ? apiId : undefined,
        vpcLinkId: vpcLinkId && !cleanup.created.vpcLinkIds.includes(vpcLinkId) ? vpcLinkId : undefined
      }
      save()
    }
  }
}

/**
 * After a delete: the comment and deployment of each stage it removed (a gateway's are per stage) say so; the
 * last stage's previews are returned, for the deployment-id output.
 */
async function previewsDeletedBy(
  result: RunResult,
  previewsOf: (stage: string) => Previews | undefined
): Promise<Previews | undefined> {
  // the stages it removed (or, dry, would): none when it found nothing of ours to delete
  const stages = result.outcome === 'absent' ? [] : (result.outputs[Outputs.Stage] ?? '').split('\n')
  let previews: Previews | undefined
  for (const stage of stages.filter(Boolean)) {
    previews = previewsOf(stage)
    await previews?.deleted('delete')
  }
  return previews
}

async function writeSummary(text: string): Promise<void> {
  // no summary file outside a runner (local runs): nothing to write to
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(text).write()
}

function setOutputs(result: RunResult): void {
  // the key is masked before anything can print it, this output included
  const key = result.outputs[Outputs.ApiKey]
  if (key) core.setSecret(key)
  const outputs: Partial<Record<OutputName, string>> = {
    ...result.outputs,
    [Outputs.Result]: result.outcome,
    [Outputs.Plan]: result.steps.join('\n')
  }
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, outputValue(value))
}

/** The token for GitHub's API, masked before anything can print it (the runner masks its own, not a PAT). */
function maskToken(): void {
  const token = core.getInput(PreviewInputs.GithubToken).trim()
  if (token) core.setSecret(token)
}

/** The main step: inputs → engine → outputs and job summary. Every failure ends in core.setFailed. */
export async function run(): Promise<RunResult | undefined> {
  let apiName = core.getInput(Inputs.ApiName) || 'cortex'
  let mode = core.getInput(Inputs.Mode) || 'create'
  let previews: Previews | undefined
  try {
    maskToken()
    // tells the post step (same bundle) that it is the post step
    core.saveState(StateKeys.IsPost, 'true')
    const read = (name: InputName): string => core.getInput(name)
    const config = parseConfig(read)
    const previewsConfig = parsePreviews(read)
    apiName = config.apiName
    mode = config.mode
    const record = cleanupRecord(config)
    actionsLog.info(
      `${config.dryRun ? 'Dry run: ' : ''}${config.mode} REST gateway "${config.apiName}" ` +
        `in ${config.region} (${config.stage === undefined ? 'every stage' : `stage ${config.stage}`})`
    )
    const soon = provenance()
    // awaited by the engine after discovery; if that fails first, this must not go unhandled
    soon.catch(() => undefined)
    const previewsOf = (stage: string): Previews | undefined =>
      previewsConfig &&
      new Previews({
        config: previewsConfig,
        log: actionsLog,
        apiName: config.apiName,
        stage,
        dryRun: config.dryRun
      })
    if (config.mode === 'create') previews = previewsOf(config.stage)
    const savePreviews = (): void => {
      if (record.cleanup && previews) core.saveState(StateKeys.Previews, JSON.stringify(previews.saved()))
    }
    if (config.mode === 'create') await previews?.start()
    savePreviews()
    const result = await runEngine({ config, log: actionsLog, provenance: soon, onCreated: record.onCreated })
    if (config.mode === 'create') await previews?.created(result)
    else previews = await previewsDeletedBy(result, previewsOf)
    savePreviews()
    result.outputs[Outputs.DeploymentId] = previews?.deploymentId?.toString() ?? ''
    record.found(result)
    setOutputs(result)
    const writes = result.calls.filter(c => c.write).length
    actionsLog.info(
      `Done: ${result.outcome} (${counted(result.calls.length, 'AWS call')}, ${counted(writes, 'write')})`
    )
    if (result.outputs[Outputs.InvokeUrl]) actionsLog.info(`Invoke URL: ${result.outputs[Outputs.InvokeUrl]}`)
    await writeSummary(renderSummary(config.apiName, result))
    return result
  } catch (error) {
    const message = errorMessage(error)
    fail(message)
    if (mode === 'create') await previews?.failed()
    await writeSummary(renderFailure(apiName, mode, message)).catch(() => undefined)
    return undefined
  }
}

/** After the post step deleted the gateway: its comment says so, its deployment is inactive. */
async function previewsDeleted(): Promise<void> {
  const saved = core.getState(StateKeys.Previews)
  const config = parsePreviews(name => core.getInput(name))
  if (!saved || !config) return
  const { apiName, stage, commentId, deploymentId } = JSON.parse(saved) as SavedPreviews
  const previews = new Previews({ config, log: actionsLog, apiName, stage, dryRun: false })
  Object.assign(previews, { commentId, deploymentId })
  await previews.deleted('delete-on-exit')
}

/**
 * The post step (end of the job): with delete-on-exit, deletes what the main step made (its API,
 * its VPC link, both or neither) and nothing else: an API or link it found already there stays,
 * and the log says so. A failure here warns, unless fail-on-cleanup-error asks to fail the job.
 */
export async function runPost(): Promise<RunResult | undefined> {
  const saved = core.getState(StateKeys.Cleanup)
  if (!saved) {
    actionsLog.info('delete-on-exit is off: nothing to clean up')
    return undefined
  }
  let cleanup: Cleanup | undefined
  try {
    maskToken()
    cleanup = JSON.parse(saved) as Cleanup
    const { created, found } = cleanup
    if (found?.apiId)
      actionsLog.info(
        `delete-on-exit: REST API ${found.apiId} is left: ` +
          'it was there before this step, which did not make it'
      )
    if (found?.vpcLinkId)
      actionsLog.info(
        `delete-on-exit: VPC link ${found.vpcLinkId} is left: ` +
          'it was there before this step, which did not make it'
      )
    if (created.apiIds.length === 0 && created.vpcLinkIds.length === 0) {
      actionsLog.info(
        `delete-on-exit: this step made nothing for REST gateway "${cleanup.apiName}": nothing to delete`
      )
      return undefined
    }
    const config: DeleteConfig = {
      mode: 'delete',
      dryRun: false,
      owner: cleanup.owner,
      apiName: cleanup.apiName,
      region: cleanup.region,
      regionSource: 'the main step',
      timeoutSeconds: cleanup.timeoutSeconds,
      only: created
    }
    const what = [
      ...created.apiIds.map(id => `REST API ${id}`),
      ...created.vpcLinkIds.map(id => `VPC link ${id}`)
    ]
    actionsLog.info(
      `delete-on-exit: deleting what this step made for REST gateway "${config.apiName}" ` +
        `in ${config.region}: ${what.join(', ')}`
    )
    const result = await runEngine({ config, log: actionsLog })
    // the gateway is gone only if its API is: a VPC link deleted alone leaves the preview serving
    if (result.outputs[Outputs.ApiId]) await previewsDeleted()
    await writeSummary(renderSummary(config.apiName, result))
    return result
  } catch (error) {
    const message =
      `delete-on-exit could not delete REST gateway "${cleanup?.apiName ?? '?'}": ${errorMessage(error)}. ` +
      'Run the action with mode: delete to finish'
    if (cleanup?.failOnCleanupError) fail(message)
    else actionsLog.warning(message)
    return undefined
  }
}
