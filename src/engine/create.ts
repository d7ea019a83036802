/**
 * A create: rounds of discover → plan → apply until one ends with the gateway done. A round
 * says what happened; the loop decides whether to go again (something changed under us, a
 * racing run won, the winner is still building) within the run's rounds and 'timeout'.
 */
import { applyCreate, type Created, type CreateResult } from './apply.js'
import { describeStep } from './steps.js'
import { counted } from '../report/words.js'
import { all } from '../base/concurrency.js'
import { MANAGED_BY_VALUE, Outputs } from '../base/constants.js'
import type { AwsContext } from '../aws/context.js'
import * as keys from '../features/keys/aws.js'
import * as authorizers from '../features/authorizer/aws.js'
import { permissionStatementId } from '../features/authorizer/plan.js'
import * as restApi from '../aws/rest-api.js'
import { deleteVpcLinkAndWait } from '../aws/vpc-links.js'
import { discoverCreate } from './discover.js'
import { ActionError, errorMessage, isAwsError, isChangeUnderUs } from '../base/errors.js'
import type { CreateConfig } from '../config/inputs.js'
import { NEW_VPC_LINK, type VpcLinkVersion } from '../model/model.js'
import { ownershipTags, type Provenance } from '../model/ownership.js'
import { isCleanup, planCreate, type CreateDiscovery, type CreatePlan } from '../core/plan.js'
import { describeSettings } from '../features/settings/plan.js'
import { canaryOf, sharesOf } from '../features/canary/steps.js'
import { findSurvivor, unmapApi, whatIsGone } from './race.js'
import { waitForReady } from './ready.js'
import { createOutputs, type RunResult } from './result.js'

/** Rounds a create may take when racing runs or conflicts force a re-read (waiting for a winner aside). */
const MAX_ROUNDS = 6
/** How long a run that lost a race gives the winner to finish the API before finishing it itself. */
const RACE_WAIT_MS = 60_000
const RACE_POLL_MS = 5_000
export interface CreateOptions {
  provenance: Provenance | Promise<Provenance>
  /** For tests: what the readiness probe fetches with. */
  fetch?: typeof fetch
  onCreated?: (made: Created) => void
}

/** What one round came to. */
type Round =
  /** A dry run: the plan, nothing written. */
  | { kind: 'planned'; plan: CreatePlan; found: CreateDiscovery }
  /** The gateway is as wanted. */
  | { kind: 'done'; plan: CreatePlan; found: CreateDiscovery; result: CreateResult }
  /**
   * Something this round relied on changed under it: read everything again (`error`: AWS's answer, if it said
   * so).
   */
  | { kind: 'changed'; why: string; error?: Error }
  /** This round's API lost a race to `survivor` (a new one was deleted; one found is left to its maker). */
  | { kind: 'lost'; survivor: string }
  /** The run that made the surviving API is likely still building it: give it time. */
  | { kind: 'wait'; survivor: string; stepsLeft: number }

/** What carries over from round to round. */
interface Progress {
  /** What was done, one line a step, across rounds. */
  steps: string[]
  /** The API and the VPC link this run made (in any round; an API lost to a racing run is deleted again). */
  createdApi?: string
  madeLink?: { id: string; version: VpcLinkVersion }
  /** The API a racing run made and every run keeps, once this run lost to it. */
  lostTo?: string
  waitedMs: number
}

export async function runCreate(
  ctx: AwsContext,
  config: CreateConfig,
  options: CreateOptions
): Promise<RunResult> {
  const progress: Progress = { steps: [], waitedMs: 0 }
  for (let round = 1; ;) {
    const r = await createRound(ctx, config, options, progress)
    switch (r.kind) {
      case 'planned':
        return dryRunResult(ctx, config, r.plan, r.found)
      case 'done':
        return finish(ctx, config, options, progress, r)
      case 'wait':
        ctx.log.info(
          `Waiting for the run that made REST API ${r.survivor} to finish it (${counted(r.stepsLeft, 'step')} to go)`
        )
        await ctx.sleep(RACE_POLL_MS)
        progress.waitedMs += RACE_POLL_MS
        continue
      case 'changed':
      case 'lost': {
        const why = r.kind === 'changed' ? r.why : `REST API ${r.survivor} of a racing run is kept`
        if (++round > MAX_ROUNDS || ctx.now() >= ctx.deadline) {
          // out of rounds: AWS's own answer, where there was one, says best what went wrong
          if (r.kind === 'changed' && r.error !== undefined) throw r.error
          throw new ActionError(
            `Other runs kept changing REST API "${config.apiName}" (last: ${why}): re-run once they are done`
          )
        }
        if (r.kind === 'changed')
          ctx.log.warning(`${why}; another run may be changing the gateway: reading it again`)
      }
    }
  }
}

/** One round: discover, plan, and (unless a dry run, or a winner is still building) apply and check. */
async function createRound(
  ctx: AwsContext,
  config: CreateConfig,
  options: CreateOptions,
  progress: Progress
): Promise<Round> {
  const found = await discoverCreate(ctx, config)
  const plan = planCreate(
    config,
    found,
    ownershipTags(config.apiName, config.owner, await options.provenance)
  )
  for (const w of plan.warnings) ctx.log.warning(w)
  for (const n of plan.notes) ctx.log.info(n)
  for (const n of plan.notices) ctx.log.notice(n)

  const survivor = progress.lostTo
  if (
    survivor &&
    plan.steps.some(s => !isCleanup(s)) &&
    progress.waitedMs < RACE_WAIT_MS &&
    ctx.now() + RACE_POLL_MS < ctx.deadline
  ) {
    return { kind: 'wait', survivor, stepsLeft: plan.steps.length }
  }
  if (config.dryRun) return { kind: 'planned', plan, found }
  if (plan.steps.length === 0) {
    const lost = await lostToFreshTwin(ctx, config, found, plan.apiId, progress)
    if (lost) return lost
    ctx.log.info(`REST API ${plan.apiId} is up to date: nothing to change`)
    const vpcLinkId = typeof plan.vpcLinkId === 'string' ? plan.vpcLinkId : undefined
    const authorizerId = typeof plan.authorizerId === 'string' ? plan.authorizerId : undefined
    return {
      kind: 'done',
      plan,
      found,
      result: { apiId: plan.apiId!, vpcLinkId, createdApi: false, authorizerId }
    }
  }

  const applied = await applyRound(ctx, config, options, progress, plan, found)
  if ('kind' in applied) return applied
  const { result, settling } = applied
  // what was done, with the real id of a VPC link the plan could only call "new"
  progress.steps.push(...plan.steps.map(s => describeStep(s, result.createdVpcLink?.id)))

  // a racing delete may have removed the API or its VPC link while this round built on them:
  // what was written is only done if both are still there (read beside the look for twins)
  const link =
    plan.vpcLinkId === NEW_VPC_LINK
      ? result.createdVpcLink
      : found.vpcLinks?.find(l => l.id === result.vpcLinkId)
  const [kept, gone] = await all([
    settling ?? Promise.resolve(undefined),
    whatIsGone(ctx, result.apiId, link)
  ])
  if (result.createdApi && kept && kept !== result.apiId) return giveWay(ctx, config, result, kept, progress)
  if (gone) return { kind: 'changed', why: `${gone} while this run was building on it` }
  if (!result.createdApi) {
    const lost = await lostToFreshTwin(ctx, config, found, result.apiId, progress)
    if (lost) return lost
  }
  return { kind: 'done', plan, found, result }
}

/**
 * A round's apply, with the look for racing twins started once it made an API; a refusal that a change under
 * it explains is a round to go again.
 */
async function applyRound(
  ctx: AwsContext,
  config: CreateConfig,
  options: CreateOptions,
  progress: Progress,
  plan: CreatePlan,
  found: CreateDiscovery
): Promise<{ result: CreateResult; settling?: Promise<string | undefined> } | Round> {
  // the look for racing twins, started once this round made an API and running beside the build
  let settling: Promise<string | undefined> | undefined
  try {
    const result = await ctx.log.group(`Apply ${counted(plan.steps.length, 'step')}`, () =>
      applyCreate(ctx, plan, found.api, {
        madeBy: `${MANAGED_BY_VALUE} for ${config.owner}`,
        settle: made => (settling = findSurvivor(ctx, config, made)),
        onCreated: made => {
          // remembered at once: a round cut short by a conflict still made it
          if (made.kind === 'vpc-link') progress.madeLink = { id: made.id, version: made.version }
          else progress.createdApi = made.id
          options.onCreated?.(made)
        }
      })
    )
    return { result, settling }
  } catch (error) {
    // AWS answers 409 (or 404 for what another run just replaced or removed) when something
    // changed under us: read everything again and plan anew
    if (isChangeUnderUs(error)) return { kind: 'changed', why: errorMessage(error), error }
    // AWS answers 400 to a write that names an API or a VPC link gone since the run looked (a
    // mapping to the API, an integration through the link, a deployment over it): when one is
    // gone, a racing delete explains the refusal, and the run plans anew
    if (isAwsError(error, 'BadRequestException')) {
      const apiId = plan.apiId ?? progress.createdApi
      const link =
        typeof plan.vpcLinkId === 'string'
          ? found.vpcLinks?.find(l => l.id === plan.vpcLinkId)
          : progress.madeLink
      const gone = apiId ? await whatIsGone(ctx, apiId, link) : undefined
      if (gone)
        return { kind: 'changed', why: `${gone} since this run looked (${errorMessage(error)})`, error }
    }
    throw error
  }
}

/** A race lost: a racing run made a twin, and every run keeps the same one; this run's API and its part go. */
async function giveWay(
  ctx: AwsContext,
  config: CreateConfig,
  result: CreateResult,
  kept: string,
  progress: Progress
): Promise<Round> {
  // AWS has no conditional create: a racing run made a twin, and every run keeps the same one
  ctx.log.warning(
    `Another run created REST API "${config.apiName}" (${kept}) at the same time as this one: ` +
      `keeping ${kept}, deleting ${result.apiId}`
  )
  // AWS deletes no API a custom domain maps or a usage plan serves: this run's mappings, plan and the
  // keys it made go first (keys it found stay: the kept API's plan holds them)
  if (config.domain) await unmapApi(ctx, config.domain.name, result.apiId)
  if (result.usagePlanId) {
    await keys.deleteUsagePlan(ctx, result.usagePlanId, [{ apiId: result.apiId, stage: config.stage }])
  }
  for (const k of result.apiKeys ?? []) await keys.deleteApiKey(ctx, k.id)
  // the statement that let API Gateway invoke the function for this run's API names it alone
  if (config.authorizer?.kind === 'lambda')
    await authorizers.removePermission(
      ctx,
      config.authorizer.functionArn,
      permissionStatementId(result.apiId)
    )
  await restApi.deleteRestApi(ctx, result.apiId)
  progress.steps.push(`delete REST API ${result.apiId} (a racing run's ${kept} is kept)`)
  progress.lostTo = kept
  return { kind: 'lost', survivor: kept }
}

/**
 * For a round that worked on an API it found: when the listing it was found in was read before
 * AWS's clock passed the second the kept API was made in, a racing twin of that second may not
 * have been listed yet and be the one every run keeps. Decides once the clock has passed; a
 * round whose API is not the one kept goes again (and waits for that API's run to finish it).
 */
async function lostToFreshTwin(
  ctx: AwsContext,
  config: CreateConfig,
  found: CreateDiscovery,
  apiId: string | undefined,
  progress: Progress
): Promise<Round | undefined> {
  if (!apiId || !found.api || found.api.summary.id !== apiId) return undefined
  const kept = await findSurvivor(ctx, config, undefined, {
    apis: found.sameName,
    serverTime: found.listedAt
  })
  if (kept === undefined || kept === apiId) return undefined
  ctx.log.warning(
    `Another run created REST API "${config.apiName}" (${kept}) in the same second as ${apiId}, ` +
      `which this run found: keeping ${kept}`
  )
  progress.lostTo = kept
  return { kind: 'lost', survivor: kept }
}

/**
 * The end of a create that did its work: tidy a link no longer used, wait for the gateway if asked, report.
 */
async function finish(
  ctx: AwsContext,
  config: CreateConfig,
  options: CreateOptions,
  progress: Progress,
  done: Extract<Round, { kind: 'done' }>
): Promise<RunResult> {
  const { result, plan, found } = done
  const made = progress.madeLink
  const removedByPlan = plan.steps.some(s => s.op === 'delete-vpc-link' && s.vpcLinkId === made?.id)
  if (made && made.id !== result.vpcLinkId && !removedByPlan) {
    // made in an earlier round (one that lost a race, say); the gateway goes through another link
    ctx.log.info(`Removing VPC link ${made.id}, made by this run but not used`)
    await deleteVpcLinkAndWait(ctx, made.id, { version: made.version })
  }
  const outputs = createOutputs(
    config,
    result.apiId,
    result.vpcLinkId,
    plan.scheme,
    found.loadBalancer.arn,
    result.domainTarget ?? plan.domainTarget,
    [...plan.apiKeys, ...(result.apiKeys ?? [])],
    result.authorizerId
  )
  let readyStatus = ''
  if (config.waitForReady) {
    const status = await ctx.log.group('Wait for the gateway to answer', () =>
      waitForReady(ctx, {
        // with the execute-api endpoint off, that URL answers 403 whatever the backend: callers come by the domain
        url:
          (config.settings.disableExecuteApiEndpoint && outputs[Outputs.DomainUrl]
            ? (outputs[Outputs.DomainUrl] ?? '').replace(/\/$/, '')
            : outputs[Outputs.InvokeUrl]) + config.readyPath,
        region: config.region,
        credentials: config.authorization === 'AWS_IAM' ? ctx.apigw.config.credentials : undefined,
        fetch: options.fetch
      })
    )
    readyStatus = String(status)
  }
  const steps = progress.steps
  return {
    mode: 'create',
    dryRun: false,
    region: config.region,
    clusterName: config.clusterName,
    settings: describeSettings(config.settings, config.endpointType),
    shares: sharesOf(config, found),
    canary: canaryOf(config, found),
    outcome: progress.createdApi === result.apiId ? 'created' : steps.length > 0 ? 'updated' : 'unchanged',
    outputs: { ...outputs, [Outputs.ReadyStatus]: readyStatus },
    steps,
    calls: ctx.calls
  }
}

function dryRunResult(
  ctx: AwsContext,
  config: CreateConfig,
  plan: CreatePlan,
  found: CreateDiscovery
): RunResult {
  for (const step of plan.steps) ctx.log.info(`would ${describeStep(step)}`)
  if (plan.steps.length === 0) ctx.log.info(`REST API ${plan.apiId} is up to date: nothing would change`)
  const vpcLinkId = typeof plan.vpcLinkId === 'string' ? plan.vpcLinkId : undefined
  return {
    mode: 'create',
    dryRun: true,
    region: config.region,
    clusterName: config.clusterName,
    settings: describeSettings(config.settings, config.endpointType),
    shares: sharesOf(config, found),
    canary: canaryOf(config, found),
    outcome: !plan.apiId ? 'would-create' : plan.steps.length > 0 ? 'would-update' : 'unchanged',
    outputs: createOutputs(
      config,
      plan.apiId,
      vpcLinkId,
      plan.scheme,
      found.loadBalancer.arn,
      plan.domainTarget,
      plan.apiKeys,
      typeof plan.authorizerId === 'string' ? plan.authorizerId : undefined
    ),
    steps: plan.steps.map(s => describeStep(s)),
    calls: ctx.calls
  }
}
