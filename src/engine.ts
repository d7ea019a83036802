/** discover → plan → apply, for both modes; the GitHub Action is a thin front end over this. */
import { MANAGED_BY_VALUE, Outputs, type OutputName } from './constants.js'
import { applyCreate, applyDelete, type Created, type CreateResult } from './apply.js'
import { makeClients } from './aws/clients.js'
import { all, API_BURST, API_RATE_PER_SECOND, RateLimiter, realSleep, type AwsContext, type CallRecord } from './aws/context.js'
import { resolveLoadBalancer } from './aws/load-balancers.js'
import * as restApi from './aws/rest-api.js'
import { deleteVpcLinkAndWait, getVpcLink, listVpcLinks, type VpcLink, type VpcLinkVersion } from './aws/vpc-links.js'
import { ActionError, errorMessage, isChangeUnderUs } from './errors.js'
import type { Config, CreateConfig, DeleteConfig } from './inputs.js'
import { isOurs, ownershipTags, type Provenance } from './ownership.js'
import { safeLog, type Log } from './log.js'
import { waitForReady } from './ready.js'
import {
  chooseApi,
  chooseLink,
  describeStep,
  isCleanup,
  keptApi,
  linksUsedBy,
  spareLinks,
  NEW_VPC_LINK,
  planCreate,
  planDelete,
  apisToDelete,
  deleteCandidates,
  routeTo,
  type CreateDiscovery,
  type ExistingApi
} from './plan.js'

export type RunOutcome =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'deleted'
  | 'absent'
  | 'would-create'
  | 'would-update'
  | 'would-delete'

export interface RunResult {
  mode: 'create' | 'delete'
  dryRun: boolean
  region: string
  outcome: RunOutcome
  outputs: Partial<Record<OutputName, string>>
  /** The plan, one line a step. */
  steps: string[]
  calls: CallRecord[]
}

export type { Created, Provenance }

export interface EngineOptions {
  config: Config
  log: Log
  /** Where the run comes from, for tags; may still be loading while discovery runs. */
  provenance?: Provenance | Promise<Provenance>
  /** For tests: a different clock, sleep or clients. */
  context?: Partial<AwsContext>
  /** For tests: what the readiness probe fetches with. */
  fetch?: typeof fetch
  /** Told of each thing a create makes, the moment it exists (delete-on-exit deletes only these). */
  onCreated?: (made: Created) => void
}

export async function runEngine(options: EngineOptions): Promise<RunResult> {
  const { config } = options
  // whoever calls, nothing the engine logs can break a line or run a workflow command
  const log = safeLog(options.log)
  const now = options.context?.now ?? Date.now
  const clients = makeClients(config.region)
  const sleep = options.context?.sleep ?? realSleep
  const ctx: AwsContext = {
    limiter: options.context?.limiter ?? new RateLimiter(API_RATE_PER_SECOND, API_BURST, now, sleep),
    region: config.region,
    apigw: options.context?.apigw ?? clients.apigw,
    apigwv2: options.context?.apigwv2 ?? clients.apigwv2,
    elb: options.context?.elb ?? clients.elb,
    log,
    deadline: now() + config.timeoutSeconds * 1000,
    now,
    sleep,
    random: options.context?.random ?? Math.random,
    calls: [],
    // a dry run discovers and plans only: the AWS layer refuses any write
    readOnly: config.dryRun
  }
  return config.mode === 'create'
    ? runCreate(ctx, config, options.provenance ?? {}, config.dryRun, options.fetch, options.onCreated)
    : runDelete(ctx, config, config.dryRun)
}

export function invokeUrl(region: string, apiId: string, stage: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'
  return `https://${apiId}.execute-api.${region}.${domain}/${stage}`
}

async function discoverCreate(ctx: AwsContext, config: CreateConfig): Promise<CreateDiscovery> {
  return ctx.log.group('Discover', async () => {
    const [loadBalancer, apis] = await all([
      resolveLoadBalancer(ctx, config.loadBalancer),
      restApi.listRestApis(ctx)
    ])
    ctx.log.info(`Load balancer: ${loadBalancer.name} (${loadBalancer.type}, ${loadBalancer.scheme}) ${loadBalancer.arn}`)
    // fail on a wrong scheme or load balancer before reading more
    const route = routeTo(config, loadBalancer)
    const sameName = apis.filter((a) => a.name === config.apiName)
    // refuses a name taken by an API that is not ours before anything else is read or said
    const chosen = chooseApi(config, sameName)
    const [api, listed] = await all([
      chosen ? readApi(ctx, chosen, config.stage) : Promise.resolve(undefined),
      route.vpcLink ? listVpcLinks(ctx, route.vpcLink.version) : Promise.resolve([] as VpcLink[])
    ])
    // links the API goes through that the list above does not hold: the other kind (a switch
    // between v1 and v2, or from internal to internet-facing), read so the old one can go
    const known = new Set(listed.map((l) => l.id))
    const used = (api?.resources ?? []).flatMap((r) => Object.values(r.methods).map((m) => m.methodIntegration?.connectionId))
    const others = (['v1', 'v2'] as const).filter((v) => v !== route.vpcLink?.version)
    const vpcLinks = used.some((id) => id && !known.has(id))
      ? [...listed, ...(await all(others.map((v) => listVpcLinks(ctx, v)))).flat()]
      : listed
    ctx.log.info(api ? `REST API "${config.apiName}": ${api.summary.id}` : `REST API "${config.apiName}": none yet`)
    // links this run might remove: which other gateways of ours still go through them
    const keep = route.vpcLink ? chooseLink(config, loadBalancer, route.vpcLink, { vpcLinks, api }).link : undefined
    const ours = apis.filter((a) => isOurs(a.tags, config.owner))
    const candidates = spareLinks(config, { vpcLinks, api, ours }, keep)
    const gateways = ours.filter((a) => a.name !== config.apiName)
    const linkUsers = await readLinkUsers(ctx, gateways, new Set(candidates.map((l) => l.id)))
    return { loadBalancer, sameName, api, vpcLinks, linkUsers, ours }
  })
}

/** For each of `linkIds`, the APIs among `apis` whose integrations go through it (one read per API, none without links). */
async function readLinkUsers(ctx: AwsContext, apis: restApi.RestApiSummary[], linkIds: Set<string>): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>()
  if (linkIds.size === 0 || apis.length === 0) return users
  const used = await all(apis.map(async (a) => ({ id: a.id, links: linksUsedBy({ resources: await restApi.getResources(ctx, a.id) }) })))
  for (const { id, links } of used) {
    for (const link of links) if (linkIds.has(link)) users.set(link, [...(users.get(link) ?? []), id])
  }
  return users
}

async function readApi(ctx: AwsContext, summary: restApi.RestApiSummary, stageName: string): Promise<ExistingApi> {
  const [resources, stage] = await all([
    restApi.getResources(ctx, summary.id),
    restApi.getStage(ctx, summary.id, stageName)
  ])
  const deploymentDescription = stage?.deploymentId
    ? await restApi.getDeploymentDescription(ctx, summary.id, stage.deploymentId)
    : undefined
  return { summary, resources, stage, deploymentDescription }
}

/** Rounds of discover → plan → apply a create may take when racing runs or conflicts force a re-read. */
const MAX_ROUNDS = 6
/** How long a run that lost a race gives the winner to finish the API before finishing it itself. */
const RACE_WAIT_MS = 60_000
const RACE_POLL_MS = 5_000

async function runCreate(
  ctx: AwsContext,
  config: CreateConfig,
  provenanceSoon: Provenance | Promise<Provenance>,
  dryRun: boolean,
  probeFetch?: typeof fetch,
  onCreated?: (made: Created) => void
): Promise<RunResult> {
  const steps: string[] = []
  let createdApi: string | undefined
  let createdVpcLink: CreateResult['createdVpcLink']
  let lostTo: string | undefined
  let waitedMs = 0
  for (let round = 1; ; round++) {
    const found = await discoverCreate(ctx, config)
    const provenance = await provenanceSoon
    const plan = planCreate(config, found, ownershipTags(config.apiName, config.owner, provenance))
    for (const w of plan.warnings) ctx.log.warning(w)
    for (const n of plan.notes) ctx.log.info(n)

    if (lostTo && plan.steps.some((s) => !isCleanup(s)) && waitedMs < RACE_WAIT_MS && ctx.now() + RACE_POLL_MS < ctx.deadline) {
      // the run that made the surviving API is most likely still building it: let it finish
      ctx.log.info(`Waiting for the run that made REST API ${lostTo} to finish it (${plan.steps.length} steps to go)`)
      await ctx.sleep(RACE_POLL_MS)
      waitedMs += RACE_POLL_MS
      continue
    }

    if (dryRun) {
      for (const step of plan.steps) ctx.log.info(`would ${describeStep(step)}`)
      if (plan.steps.length === 0) ctx.log.info(`REST API ${plan.apiId} is up to date: nothing would change`)
      return {
        mode: 'create',
        dryRun,
        region: config.region,
        outcome: !plan.apiId ? 'would-create' : plan.steps.length > 0 ? 'would-update' : 'unchanged',
        outputs: createOutputs(config, plan.apiId, plan.vpcLinkId === NEW_VPC_LINK ? undefined : plan.vpcLinkId, plan.scheme, found.loadBalancer.arn),
        steps: plan.steps.map(describeStep),
        calls: ctx.calls
      }
    }

    let result: CreateResult
    let survivor: string | undefined
    try {
      result =
        plan.steps.length === 0
          ? { apiId: plan.apiId!, vpcLinkId: plan.vpcLinkId, createdApi: false }
          : await ctx.log.group(`Apply ${plan.steps.length} steps`, () =>
              applyCreate(ctx, plan, found.api, `${MANAGED_BY_VALUE} for ${config.owner}`, async (made) => {
                survivor = await findSurvivor(ctx, config, made)
              }, onCreated)
            )
    } catch (error) {
      // AWS answers 409 (or 404 for what another run just replaced or removed) when something
      // changed under us: read everything again and plan anew
      if (isChangeUnderUs(error) && round < MAX_ROUNDS && ctx.now() < ctx.deadline) {
        ctx.log.warning(`${errorMessage(error)}; another run may be changing the gateway: reading it again`)
        continue
      }
      throw error
    }
    // what was done, with the real id of a VPC link the plan could only call "new"
    const done = plan.steps.map(describeStep)
    steps.push(...(result.vpcLinkId ? done.map((d) => d.replaceAll(NEW_VPC_LINK, result.vpcLinkId!)) : done))
    if (result.createdVpcLink) createdVpcLink = result.createdVpcLink

    if (result.createdApi) {
      // AWS has no conditional create: a run that raced us may have made a twin. Both runs
      // apply the same rule (findSurvivor, run while the deployment was made), so both keep the same API.
      if (survivor && survivor !== result.apiId) {
        ctx.log.warning(
          `Another run created REST API "${config.apiName}" (${survivor}) at the same time as this one: keeping ${survivor}, deleting ${result.apiId}`
        )
        await restApi.deleteRestApi(ctx, result.apiId)
        steps.push(`delete REST API ${result.apiId} (a racing run's ${survivor} is kept)`)
        if (round >= MAX_ROUNDS) {
          throw new ActionError(`Other runs kept changing REST API "${config.apiName}" for ${round} rounds: re-run once they are done`)
        }
        lostTo = survivor
        continue
      }
      createdApi = result.apiId
    }
    if (plan.steps.length === 0) ctx.log.info(`REST API ${result.apiId} is up to date: nothing to change`)
    else {
      // a racing delete may have removed the API or its VPC link while this round built on them:
      // what was written is only done if both are still there
      const gone = await stillThere(ctx, result.apiId, plan.vpcLinkId === NEW_VPC_LINK ? result.createdVpcLink : found.vpcLinks?.find((l) => l.id === result.vpcLinkId))
      if (gone && round < MAX_ROUNDS && ctx.now() < ctx.deadline) {
        ctx.log.warning(`${gone} while this run was building on it; another run may be deleting the gateway: reading it again`)
        continue
      }
      if (gone) throw new ActionError(`${gone}: another run kept changing REST API "${config.apiName}"; re-run once it is done`)
    }
    if (createdVpcLink && createdVpcLink.id !== result.vpcLinkId) {
      // made in a round whose API lost a race; the surviving API goes through another link
      ctx.log.info(`Removing VPC link ${createdVpcLink.id}, made by this run but not used`)
      await deleteVpcLinkAndWait(ctx, createdVpcLink.id, { version: createdVpcLink.version })
    }

    const outputs = createOutputs(config, result.apiId, result.vpcLinkId, plan.scheme, found.loadBalancer.arn)
    let readyStatus = ''
    if (config.waitForReady) {
      const status = await ctx.log.group('Wait for the gateway to answer', () =>
        waitForReady(ctx, {
          url: outputs[Outputs.InvokeUrl] + config.readyPath,
          region: config.region,
          credentials: config.authorization === 'AWS_IAM' ? ctx.apigw.config.credentials : undefined,
          fetch: probeFetch
        })
      )
      readyStatus = String(status)
    }

    return {
      mode: 'create',
      dryRun,
      region: config.region,
      outcome: createdApi === result.apiId ? 'created' : steps.length > 0 ? 'updated' : 'unchanged',
      outputs: { ...outputs, [Outputs.ReadyStatus]: readyStatus },
      steps,
      calls: ctx.calls
    }
  }
}

/** The outputs of a create, or of its dry run (no invoke URL before the API exists). */
function createOutputs(
  config: CreateConfig,
  apiId: string | undefined,
  vpcLinkId: string | undefined,
  scheme: string,
  loadBalancerArn: string
): Partial<Record<OutputName, string>> {
  return {
    [Outputs.InvokeUrl]: apiId ? invokeUrl(config.region, apiId, config.stage) : '',
    [Outputs.ApiId]: apiId ?? '',
    [Outputs.Stage]: config.stage,
    [Outputs.VpcLinkId]: vpcLinkId ?? '',
    [Outputs.Scheme]: scheme,
    [Outputs.LoadBalancerArn]: loadBalancerArn
  }
}

/** How many times a run that made an API looks again for racing twins before it decides anyway. */
const SETTLE_LOOKS = 24
const SETTLE_POLL_MS = 250

/**
 * After creating an API: the API of the name every racing run keeps (the oldest, then the
 * lowest id). AWS dates APIs to the whole second, so a twin made in the same second as ours may
 * still be on its way when we first look; the answer only counts once AWS's own clock (the
 * listing's Date) has passed that second, when every same-second twin is in the listing. Then
 * every run sees the same APIs with the same dates, and keeps the same one.
 */
async function findSurvivor(ctx: AwsContext, config: CreateConfig, ours: { id: string; createdDate?: Date }): Promise<string> {
  for (let look = 1; ; look++) {
    const { apis, serverTime } = await restApi.listRestApisAt(ctx)
    const created = ours.createdDate ?? apis.find((a) => a.id === ours.id)?.createdDate
    const second = (d: Date): number => Math.floor(d.getTime() / 1000)
    const settled = !serverTime || !created || second(serverTime) > second(created)
    if (settled || look >= SETTLE_LOOKS || ctx.now() + SETTLE_POLL_MS > ctx.deadline) {
      if (!settled) ctx.log.warning(`AWS's clock did not pass the second REST API ${ours.id} was made in; deciding on what is listed`)
      return keptApi(apis, config.apiName, config.owner)?.id ?? ours.id
    }
    ctx.log.debug(`REST API ${ours.id} was made in the second AWS is still in: looking for racing twins again`)
    await ctx.sleep(SETTLE_POLL_MS)
  }
}

/** Why the API or VPC link a round built on is no longer there; undefined when both are. */
async function stillThere(ctx: AwsContext, apiId: string, link: { id: string; version: VpcLinkVersion } | undefined): Promise<string | undefined> {
  const [api, current] = await all([
    restApi.getRestApi(ctx, apiId),
    link ? getVpcLink(ctx, link.id, link.version) : Promise.resolve(undefined)
  ])
  if (!api) return `REST API ${apiId} is gone`
  if (link && (!current || current.status === 'DELETING' || current.status === 'FAILED')) {
    return `VPC link ${link.id} is ${current ? current.status : 'gone'}`
  }
  return undefined
}

async function runDelete(ctx: AwsContext, config: DeleteConfig, dryRun: boolean): Promise<RunResult> {
  const found = await ctx.log.group('Discover', async () => {
    const [apis, v1, v2] = await all([restApi.listRestApis(ctx), listVpcLinks(ctx, 'v1'), listVpcLinks(ctx, 'v2')])
    const sameName = apis.filter((a) => a.name === config.apiName)
    const vpcLinks = [...v1, ...v2]
    // the links each API to delete goes through: the last gateway to go takes its link along
    const going = apisToDelete(config, sameName)
    const contents = new Map(
      await all(
        going.map(async (a) => {
          const [resources, stages] = await all([restApi.getResources(ctx, a.id), restApi.getStages(ctx, a.id)])
          return [a.id, { resources, stages }] as const
        })
      )
    )
    const ours = apis.filter((a) => isOurs(a.tags, config.owner))
    const candidates = deleteCandidates(config, { vpcLinks, contents, ours })
    const others = ours.filter((a) => !going.includes(a))
    const linkUsers = await readLinkUsers(ctx, others, new Set(candidates.map((l) => l.id)))
    return { sameName, vpcLinks, contents, linkUsers, ours }
  })
  const plan = planDelete(config, found)
  for (const n of plan.notes) ctx.log.notice(n)
  for (const w of plan.warnings) ctx.log.warning(w)
  const steps = plan.steps.map(describeStep)
  const base = { mode: 'delete' as const, dryRun, region: config.region, steps, calls: ctx.calls }
  if (plan.steps.length === 0) {
    ctx.log.notice(
      config.only
        ? `Nothing to delete: what this step made for REST API "${config.apiName}" is gone already, or stays in use`
        : `Nothing to delete: no REST API "${config.apiName}" made by this repository in ${config.region}`
    )
    return { ...base, outcome: 'absent', outputs: { [Outputs.Stage]: '', [Outputs.ApiId]: '', [Outputs.VpcLinkId]: '' } }
  }
  /** The stages removed with these APIs, one per line. */
  const stagesOf = (apiIds: string[]): string =>
    [...new Set(plan.stages.filter((st) => apiIds.includes(st.apiId)).map((st) => st.name))].join('\n')
  if (dryRun) {
    for (const step of steps) ctx.log.info(`would ${step}`)
    const apiIds = plan.steps.flatMap((s) => (s.op === 'delete-api' ? [s.apiId] : []))
    return {
      ...base,
      outcome: 'would-delete',
      outputs: {
        [Outputs.ApiId]: apiIds.join(','),
        [Outputs.Stage]: stagesOf(apiIds),
        [Outputs.VpcLinkId]: plan.steps.flatMap((s) => (s.op === 'delete-vpc-link' ? [s.vpcLinkId] : [])).join(',')
      }
    }
  }
  const result = await ctx.log.group(`Apply ${plan.steps.length} steps`, () => applyDelete(ctx, plan))
  return {
    ...base,
    // links AWS kept (still in use) are not a deletion
    outcome: result.deletedApis.length + result.deletedVpcLinks.length > 0 ? 'deleted' : 'absent',
    outputs: {
      [Outputs.ApiId]: result.deletedApis.join(','),
      [Outputs.Stage]: stagesOf(result.deletedApis),
      [Outputs.VpcLinkId]: result.deletedVpcLinks.join(',')
    }
  }
}
