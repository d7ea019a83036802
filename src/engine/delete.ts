/** A delete: discover, plan (API first, then the links of ours it leaves unused), apply. */
import { describeStep } from './steps.js'
import { counted } from '../report/words.js'
import { applyDelete } from './apply.js'
import { refuseLateTurn } from './delete-line.js'
import { Inputs, Outputs } from '../base/constants.js'
import type { AwsContext } from '../aws/context.js'
import { discoverDelete } from './discover.js'
import type { DeleteConfig } from '../config/inputs.js'
import { planDelete } from '../core/plan.js'
import type { RunResult } from './result.js'

/** What a delete that finds nothing to delete says. */
function nothingToDelete(config: DeleteConfig): string {
  if (config.only)
    return `Nothing to delete: what this step made for REST API "${config.apiName}" is gone already, or stays in use`
  if (config.stage !== undefined)
    return (
      `Nothing to delete: no stage ${config.stage} of a REST API "${config.apiName}" made by this ` +
      `repository in ${config.region}`
    )
  return `Nothing to delete: no REST API "${config.apiName}" made by this repository in ${config.region}`
}

export async function runDelete(ctx: AwsContext, config: DeleteConfig): Promise<RunResult> {
  const found = await discoverDelete(ctx, config)
  const plan = planDelete(config, found)
  for (const n of plan.notes) ctx.log.notice(n)
  for (const w of plan.warnings) ctx.log.warning(w)
  const steps = plan.steps.map(s => describeStep(s))
  const base = {
    mode: 'delete' as const,
    dryRun: config.dryRun,
    region: config.region,
    steps,
    calls: ctx.calls
  }
  if (plan.steps.length === 0) {
    ctx.log.notice(nothingToDelete(config))
    return {
      ...base,
      outcome: 'absent',
      outputs: { [Outputs.Stage]: '', [Outputs.ApiId]: '', [Outputs.VpcLinkId]: '' }
    }
  }
  /** The stages removed with these APIs, and those removed alone, one per line. */
  const stagesOf = (apiIds: string[], alone: string[] = []): string =>
    [...new Set([...plan.stages.filter(st => apiIds.includes(st.apiId)).map(st => st.name), ...alone])].join(
      '\n'
    )
  if (config.dryRun) {
    ctx.log.info(
      config.stage !== undefined && !config.only
        ? `Would delete stage ${config.stage} only: an API of the gateway goes only with its last stage`
        : `Would delete the whole gateway: every stage of it (give '${Inputs.Stage}' to delete one stage)`
    )
    for (const step of steps) ctx.log.info(`would ${step}`)
    const apiIds = plan.steps.flatMap(s => (s.op === 'delete-api' ? [s.apiId] : []))
    const linkIds = plan.steps.flatMap(s => (s.op === 'delete-vpc-link' ? [s.vpcLinkId] : []))
    const alone = plan.steps.flatMap(s => (s.op === 'delete-stage' ? [s.stage] : []))
    return {
      ...base,
      domains: plan.steps.flatMap(s => (s.op === 'delete-domain' ? [s.name] : [])),
      // as the real run says: tidying (a usage plan, a domain serving nothing) is no deletion
      outcome: apiIds.length + linkIds.length + alone.length > 0 ? 'would-delete' : 'absent',
      outputs: {
        [Outputs.ApiId]: apiIds.join(','),
        [Outputs.Stage]: stagesOf(apiIds, alone),
        [Outputs.VpcLinkId]: linkIds.join(',')
      }
    }
  }
  // a line of deletes that puts this run past its 'timeout' fails it before its first write
  refuseLateTurn(
    ctx,
    found.listed ?? [],
    plan.steps.flatMap(s => (s.op === 'delete-api' ? [s.apiId] : []))
  )
  const result = await ctx.log.group(`Apply ${counted(plan.steps.length, 'step')}`, () =>
    applyDelete(ctx, plan)
  )
  return {
    ...base,
    // links kept (still in use) are not a deletion
    outcome:
      result.deletedApis.length + result.deletedVpcLinks.length + result.deletedStages.length > 0
        ? 'deleted'
        : 'absent',
    domains: result.deletedDomains ?? [],
    outputs: {
      [Outputs.ApiId]: result.deletedApis.join(','),
      [Outputs.Stage]: stagesOf(
        result.deletedApis,
        result.deletedStages.map(s => s.stage)
      ),
      [Outputs.VpcLinkId]: result.deletedVpcLinks.join(',')
    }
  }
}
