/**
 * What exists of the settings a create reconciles beyond the API and its stage (which the spine reads):
 * the account's CloudWatch role, and the web ACL of the stage.
 */
import { all } from '../../base/concurrency.js'
import { Tags } from '../../base/constants.js'
import type { AwsContext } from '../../aws/context.js'
import type { CreateConfig } from '../../config/inputs.js'
import type { RestApiSummary, StageState } from '../../model/model.js'
import * as settings from './aws.js'
import { groupsIn, needsCloudWatchRole } from './plan.js'

/**
 * Read beside the API: the account's role, where execution logs or access logs to CloudWatch need it
 * (checked before any write; undefined where not needed); and a new gateway's web ACL, which must exist
 * before anything is made (it would go live without it).
 */
export async function discoverSettingsFirst(
  ctx: AwsContext,
  config: CreateConfig,
  isNew: boolean
): Promise<string | undefined> {
  const wantAcl = config.settings.webAclArn
  const [cloudWatchRole] = await all([
    needsCloudWatchRole(config.settings) ? settings.cloudWatchRole(ctx) : Promise.resolve(undefined),
    wantAcl && isNew ? settings.requireWebAcl(ctx, wantAcl) : Promise.resolve()
  ])
  return cloudWatchRole
}

/**
 * The stage's settings GetStage does not read: its web ACL, read where one is wanted or the action set one
 * (its settings tag says so), and kept with the stage's other settings. One wanted for a gateway that is
 * there must exist, or nothing is changed.
 */
export async function discoverStageSettings(
  ctx: AwsContext,
  config: CreateConfig,
  api: { summary: RestApiSummary; stage?: StageState } | undefined
): Promise<void> {
  const wantAcl = config.settings.webAclArn
  const webAcl =
    api?.stage && (wantAcl || groupsIn(api.stage.tags[Tags.StageSettings]).has('waf'))
      ? await settings.webAclOf(ctx, api.summary.id, config.stage)
      : undefined
  if (wantAcl && api && webAcl !== wantAcl) await settings.requireWebAcl(ctx, wantAcl)
  if (api?.stage) api.stage = { ...api.stage, settings: { ...api.stage.settings, webAclArn: webAcl } }
}
