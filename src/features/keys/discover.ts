/**
 * What exists of the API keys a run may touch: the usage plans and keys, the keys attached to the action's
 * plan for the stage, and to the gateway's plans that serve nothing (to sweep them).
 */
import { all } from '../../base/concurrency.js'
import { Tags } from '../../base/constants.js'
import type { AwsContext } from '../../aws/context.js'
import * as restApi from '../../aws/rest-api.js'
import type { CreateConfig, DeleteConfig } from '../../config/inputs.js'
import type { RestApiSummary, StageState, UsagePlan } from '../../model/model.js'
import { isOurs, madeFor } from '../../model/ownership.js'
import { groupsIn } from '../settings/plan.js'
import * as keys from './aws.js'
import { planFor, strayPlans, type KeysDiscovery } from './plan.js'

/** The keys set by the action on a stage, by its settings tag. */
const keysSetOn = (stage: StageState | undefined): boolean =>
  groupsIn(stage?.tags[Tags.StageSettings]).has('api-keys')

/** A create's keys: where they are asked for, or the action set some on the stage (to remove them). */
export function discoverKeysOfCreate(
  ctx: AwsContext,
  config: CreateConfig,
  api: { summary: RestApiSummary; stage?: StageState } | undefined,
  apis: RestApiSummary[]
): Promise<KeysDiscovery | undefined> {
  return config.settings.apiKeys.length > 0 || keysSetOn(api?.stage)
    ? discoverKeys(ctx, config, api?.summary.id, apis)
    : Promise.resolve(undefined)
}

/** A delete's keys: usage plans and keys, where the action set keys on a stage of an API that goes. */
export function discoverKeysOfDelete(
  ctx: AwsContext,
  config: DeleteConfig,
  stages: StageState[],
  apis: RestApiSummary[]
): Promise<KeysDiscovery | undefined> {
  return stages.some(keysSetOn) ? discoverKeysForDelete(ctx, config, apis) : Promise.resolve(undefined)
}

/** Usage plans and keys, with the keys each plan of the action's holds (a key another plan holds stays). */
async function discoverKeysForDelete(
  ctx: AwsContext,
  config: DeleteConfig,
  apis: RestApiSummary[]
): Promise<KeysDiscovery> {
  // a delete needs no key's value: none is read
  const [plans, apiKeys] = await all([keys.listUsagePlans(ctx), keys.listApiKeys(ctx, false)])
  const ours = plans.filter(p => isOurs(p.tags, config.owner))
  const [attached, gone] = await all([
    all(ours.map(async p => [p.id, await keys.usagePlanKeyIds(ctx, p.id)] as const)),
    goneApis(ctx, plans, config, apis)
  ])
  return { plans, keys: apiKeys, attached: [], attachedTo: new Map(attached), gone }
}

/**
 * Usage plans and keys; the keys attached to the action's plan for the API stage, if there is one,
 * and to the gateway's plans that serve nothing (to sweep them).
 */
async function discoverKeys(
  ctx: AwsContext,
  config: CreateConfig,
  apiId: string | undefined,
  apis: RestApiSummary[]
): Promise<KeysDiscovery> {
  const { owner, apiName, stage } = config
  const [plans, listed] = await all([keys.listUsagePlans(ctx), keys.listApiKeys(ctx, true)])
  // AWS lists every key's value with it: only the action's own are kept past this point
  const apiKeys = listed.map(k => (isOurs(k.tags, owner) ? k : { ...k, value: undefined }))
  const gone = await goneApis(ctx, plans, config, apis)
  const plan = apiId ? planFor(plans, owner, apiId, stage) : undefined
  const strays = strayPlans(plans, owner, apiName, id => !gone.includes(id)).filter(p => p !== plan)
  const [attached, attachedTo] = await all([
    plan ? keys.usagePlanKeyIds(ctx, plan.id) : Promise.resolve([]),
    all(strays.map(async p => [p.id, await keys.usagePlanKeyIds(ctx, p.id)] as const))
  ])
  return { plans, keys: apiKeys, attached, attachedTo: new Map(attachedTo), gone }
}

/**
 * The APIs that plans of this repository's for the gateway serve and that are gone: not in the
 * listing, and not found when asked (one made since the listing is no stray's).
 */
async function goneApis(
  ctx: AwsContext,
  plans: UsagePlan[],
  config: { owner: string; apiName: string },
  apis: RestApiSummary[]
): Promise<string[]> {
  const listed = new Set(apis.map(a => a.id))
  const unlisted = new Set(
    plans
      .filter(p => madeFor(p.tags, config.owner, config.apiName))
      .flatMap(p => p.apiStages.map(s => s.apiId))
      .filter(id => !listed.has(id))
  )
  const found = await all([...unlisted].map(async id => ({ id, api: await restApi.getRestApi(ctx, id) })))
  return found.filter(f => !f.api).map(f => f.id)
}
