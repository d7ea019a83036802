/** Carries out a plan's steps in order, resolving the ids that earlier steps create. */
import { randomUUID } from 'node:crypto'
import { ROOT_PATH, Tags } from '../base/constants.js'
import { deploymentDescription } from '../core/desired.js'
import { AwsCallError, ChangedUnderUs, errorMessage, isAwsError } from '../base/errors.js'
import {
  type CustomDomain,
  type DnsRecord,
  resolveLink,
  resolveMethod,
  resolveResources,
  type VpcLinkSpec,
  type VpcLinkVersion
} from '../model/model.js'
import { isOurs, madeFor } from '../model/ownership.js'
import { deleteRestApiInTurn } from './delete-line.js'
import { readLinkUsers } from './discover.js'
import {
  describeStep,
  linkLeadsTo,
  type CreatePlan,
  type DeletePlan,
  type ExistingApi,
  type Step
} from '../core/plan.js'
import { aliasRecord, targetOf, type AliasTarget, type DomainStep } from '../features/domain/plan.js'
import { madeForStage, planFor } from '../features/keys/plan.js'
import { all } from '../base/concurrency.js'
import type { AwsContext } from '../aws/context.js'
import * as dns from '../features/domain/aws-dns.js'
import * as domains from '../features/domain/aws-domains.js'
import * as restApi from '../aws/rest-api.js'
import * as keys from '../features/keys/aws.js'
import * as settings from '../features/settings/aws.js'
import * as vpcLinks from '../aws/vpc-links.js'

/** Something a run made (not found): what delete-on-exit may delete, and only that. */
export type Created = { kind: 'api'; id: string } | { kind: 'vpc-link'; id: string; version: VpcLinkVersion }

export interface CreateResult {
  apiId: string
  vpcLinkId?: string
  deploymentId?: string
  /** Set when this run made the API: racing runs check for twins afterwards. */
  createdApi: boolean
  /** Set when this run made the VPC link. */
  createdVpcLink?: { id: string; version: VpcLinkVersion }
  /** The target of the custom domain this run made. */
  domainTarget?: AliasTarget
  /** The API keys this run made (with their values). */
  apiKeys?: { name: string; id: string; value: string }[]
  /** The usage plan this run made. */
  usagePlanId?: string
}

export interface ApplyHooks {
  /** Who is making things, for the descriptions AWS shows ("cortex-rest-gateway for owner/repo"). */
  madeBy: string
  /**
   * Looks for racing runs' twins once this run made the API; a base path mapping (a domain's path
   * is one API's) waits for it, and so does the end of the apply.
   */
  settle?: (made: { id: string; createdDate?: Date }) => Promise<unknown>
  /** Told of each thing made, the moment it exists. */
  onCreated?: (made: Created) => void
}

/**
 * When steps run. AWS does not need the method steps one by one: the work on each method
 * (delete, put) is a chain of its own that starts once its resource exists, and chains run side
 * by side. Any other step waits for all of them (a barrier), then runs alone, in plan order.
 */
class StepScheduler {
  private readonly resources = new Map<string, Promise<void>>()
  private readonly chains = new Map<string, Promise<void>>()

  /** A resource's creation, once its parent exists. */
  resource(path: string, parentPath: string, work: () => Promise<void>): void {
    this.resources.set(path, this.after(this.resources.get(parentPath), work))
  }

  /** Work on one method, after the earlier work on it and after its resource exists. */
  method(path: string, httpMethod: string, work: () => Promise<void>): void {
    const key = `${httpMethod} ${path}`
    this.chains.set(key, this.after(this.chains.get(key) ?? this.resources.get(path), work))
  }

  /** Waits for everything scheduled; the first failure is thrown once all of it is done. */
  async barrier(): Promise<void> {
    const pending = this.pending()
    this.resources.clear()
    this.chains.clear()
    await all(pending)
  }

  /** Everything still running, for a failure to wait on before it is reported. */
  pending(): Promise<void>[] {
    return [...this.resources.values(), ...this.chains.values()]
  }

  private after(before: Promise<void> | undefined, work: () => Promise<void>): Promise<void> {
    const next = (before ?? Promise.resolve()).then(work)
    // a failure is reported by the barrier that awaits it, not here
    next.catch(() => undefined)
    return next
  }
}

/** What the steps build up as they go: the API, its resources' ids, the link made, the deployment. */
class Built {
  apiId: string | undefined
  readonly resourceIds = new Map<string, string>()
  madeLink: { id: string; version: VpcLinkVersion } | undefined
  createdApi = false
  deploymentId: string | undefined
  /** The custom domain this run made. */
  domain: CustomDomain | undefined
  /** The usage plan this run made. */
  usagePlanId: string | undefined
  /** The API keys this run made, by name. */
  readonly keys = new Map<string, { id: string; value: string }>()
  /** The look for racing twins, running beside the rest of the build. */
  settling: Promise<unknown> | undefined
  /** What this run removed of the domains it left, and which it held back. */
  readonly domainsLeft: DomainsLeft = { removed: new Map(), held: new Set() }

  constructor(
    private readonly plan: CreatePlan,
    existing: ExistingApi | undefined
  ) {
    this.apiId = plan.apiId
    for (const r of existing?.resources ?? [])
      if (!this.resourceIds.has(r.path)) this.resourceIds.set(r.path, r.id)
    if (existing?.summary.rootResourceId) this.resourceIds.set(ROOT_PATH, existing.summary.rootResourceId)
  }

  api(): string {
    if (!this.apiId) throw new Error('internal error: API step before the API exists')
    return this.apiId
  }

  resource(path: string): string {
    const id = this.resourceIds.get(path)
    if (!id) throw new ChangedUnderUs(`Resource ${path} of API ${this.apiId} is gone`)
    return id
  }

  result(): CreateResult {
    const link = this.plan.vpcLinkId
    return {
      apiId: this.api(),
      vpcLinkId: link === undefined ? undefined : resolveLink(link, this.madeLink?.id),
      deploymentId: this.deploymentId,
      createdApi: this.createdApi,
      createdVpcLink: this.madeLink,
      domainTarget: targetOf(this.domain),
      apiKeys: [...this.keys].map(([name, k]) => ({ name, ...k })),
      usagePlanId: this.usagePlanId
    }
  }
}

/** Runs a create plan's steps (see StepScheduler for when each runs, `perform` for what it does). */
export async function applyCreate(
  ctx: AwsContext,
  plan: CreatePlan,
  existing: ExistingApi | undefined,
  hooks: ApplyHooks
): Promise<CreateResult> {
  const built = new Built(plan, existing)
  const scheduler = new StepScheduler()
  const run = (step: Step) => () => perform(ctx, plan, built, hooks, step)
  try {
    for (const step of plan.steps) {
      ctx.log.info(describeStep(step, built.madeLink?.id))
      if (step.op === 'create-resource') scheduler.resource(step.path, step.parentPath, run(step))
      else if (step.op === 'delete-method') scheduler.method(step.path, step.httpMethod, run(step))
      else if (step.op === 'put-method') scheduler.method(step.path, step.method.httpMethod, run(step))
      else {
        await scheduler.barrier()
        await run(step)()
      }
    }
    await scheduler.barrier()
  } catch (error) {
    // never leave a call running behind a failure: wait for all of it before reporting it
    await Promise.allSettled([...scheduler.pending(), built.settling])
    throw error
  }
  // the look for twins may still be going: the caller, who started it, awaits it
  return built.result()
}

/** What one step of a create does. */
async function perform(
  ctx: AwsContext,
  plan: CreatePlan,
  built: Built,
  hooks: ApplyHooks,
  step: Step
): Promise<void> {
  switch (step.op) {
    case 'create-vpc-link':
      return makeVpcLink(ctx, plan, built, hooks, step.link)
    case 'wait-vpc-link': {
      const id = resolveLink(step.vpcLinkId, built.madeLink?.id)
      const link = await vpcLinks.getVpcLink(ctx, id, step.version)
      if (!link) throw new ChangedUnderUs(`VPC link ${id} is gone`)
      await vpcLinks.waitForVpcLinkAvailable(ctx, link)
      return
    }
    case 'create-api':
      return makeApi(ctx, plan, built, hooks, step)
    case 'set-endpoint-type':
      return restApi.setEndpointType(ctx, built.api(), step.from, step.to)
    case 'tag-api':
      return restApi.tagRestApi(ctx, built.api(), step.tags)
    case 'adopt-api':
      return restApi.tagRestApi(ctx, step.apiId, step.tags)
    case 'create-resource': {
      const r = await restApi.createResource(ctx, built.api(), built.resource(step.parentPath), step.pathPart)
      built.resourceIds.set(r.path || step.path, r.id)
      return
    }
    case 'delete-method':
      return restApi.deleteMethod(ctx, built.api(), built.resource(step.path), step.httpMethod)
    case 'put-method':
      return restApi.putMethod(
        ctx,
        built.api(),
        built.resource(step.path),
        resolveMethod(step.method, built.madeLink?.id)
      )
    case 'deploy':
      return deploy(ctx, plan, built, step)
    case 'tag-stage':
      return restApi.tagStage(ctx, built.api(), step.stage, step.tags)
    case 'delete-api':
      await restApi.deleteRestApi(ctx, step.apiId)
      return
    case 'delete-vpc-link':
      // a leftover of ours; nothing waits on it going, so neither do we
      if (!(await keptForUsers(ctx, step))) {
        await vpcLinks.deleteVpcLinkAndWait(ctx, step.vpcLinkId, { wait: false, version: step.version })
      }
      return
    case 'untag-api':
      return restApi.untagRestApi(ctx, built.api(), step.keys)
    case 'update-api':
      return settings.updateRestApi(ctx, built.api(), step.patches)
    case 'update-stage':
      return settings.updateStage(ctx, built.api(), step.stage, step.patches)
    case 'untag-stage':
      return settings.untagStage(ctx, built.api(), step.stage, step.keys)
    case 'associate-web-acl':
      return settings.associateWebAcl(ctx, built.api(), step.stage, step.webAclArn)
    case 'disassociate-web-acl':
      return settings.disassociateWebAcl(ctx, built.api(), step.stage)
    case 'create-usage-plan': {
      const apiId = built.api()
      built.usagePlanId = await keys.createUsagePlan(
        ctx,
        {
          ...step,
          apiId,
          description: `API keys of REST gateway "${plan.apiName}", made by ${hooks.madeBy}`
        },
        // an answer lost on the way back: the plan of ours for this API stage is the one it made
        async () => planFor(await keys.listUsagePlans(ctx), plan.owner, apiId, step.stage)?.id
      )
      return
    }
    case 'create-api-key':
      built.keys.set(
        step.name,
        await keys.createApiKey(
          ctx,
          step.name,
          step.tags,
          `Made by ${hooks.madeBy} for "${plan.apiName}"`,
          // the plan made none of the name for this stage: one there now is the lost attempt's
          async () => {
            const k = (await keys.listApiKeys(ctx, true)).find(
              k =>
                k.name === step.name &&
                madeForStage(k.tags, plan.owner, plan.apiName, step.tags[Tags.Stage] ?? '')
            )
            return k && { id: k.id, value: k.value ?? '' }
          }
        )
      )
      return
    case 'attach-api-key': {
      const planId = step.planId ?? built.usagePlanId
      const keyId = step.keyId ?? built.keys.get(step.name)?.id
      if (!planId || !keyId) throw new Error(`internal error: API key "${step.name}" or its plan is not made`)
      return keys.attachApiKey(ctx, planId, keyId)
    }
    case 'update-usage-plan':
    case 'detach-api-key':
    case 'delete-api-key':
    case 'delete-usage-plan':
      return performKeyStep(ctx, step)
    case 'create-domain': {
      const domain = await makeDomain(ctx, plan.owner, step)
      built.domain = domain
      ctx.log.info(`Created custom domain ${domain.name} (target ${domain.target ?? '?'})`)
      return
    }
    case 'map-base-path': {
      // a racing twin that is kept maps its own: this API's only once it is the one kept (a run that
      // lost deletes its API, and maps nothing)
      const kept = await built.settling
      if (typeof kept === 'string' && kept !== built.api()) return
      return onChange(
        domains.createBasePathMapping(ctx, step.name, {
          basePath: step.basePath,
          restApiId: built.api(),
          stage: step.stage
        })
      )
    }
    case 'tag-domain':
      return domains.tagDomainName(ctx, step.name, step.tags)
    case 'set-domain-certificate':
    case 'set-base-path-stage':
    case 'unmap-base-path':
    case 'delete-domain':
    case 'upsert-dns-record':
    case 'delete-dns-record':
      return performDomainStep(ctx, step, targetOf(built.domain), built.domainsLeft)
  }
}

/** The key steps a create and a delete share. */
async function performKeyStep(
  ctx: AwsContext,
  step: Extract<Step, { op: 'update-usage-plan' | 'detach-api-key' | 'delete-api-key' | 'delete-usage-plan' }>
): Promise<void> {
  switch (step.op) {
    case 'update-usage-plan':
      return keys.updateUsagePlan(ctx, step.planId, step.patches)
    case 'detach-api-key':
      return keys.detachApiKey(ctx, step.planId, step.keyId)
    case 'delete-api-key':
      return keys.deleteApiKey(ctx, step.keyId)
    case 'delete-usage-plan':
      return keys.deleteUsagePlan(ctx, step.planId, step.apiStages)
  }
}

/** AWS refusing a change because what it changes is not as the plan saw it: read again, plan anew. */
async function onChange(work: Promise<void>): Promise<void> {
  try {
    await work
  } catch (error) {
    if (
      isAwsError(error, 'BadRequestException', 'InvalidChangeBatch') &&
      /exist/i.test(String(error.message))
    ) {
      throw new ChangedUnderUs(`${error.message} (changed since this run looked)`)
    }
    throw error
  }
}

/**
 * Read again before a shared domain (or its record) goes: another gateway may have been mapped
 * onto it since the run looked, or a run leaving it at the same time may have removed it already.
 */
async function stillMapped(ctx: AwsContext, name: string): Promise<boolean> {
  const mappings = await domains.getBasePathMappings(ctx, name)
  if (!mappings?.length) return false
  ctx.log.info(
    `Custom domain ${name} is kept: it serves REST API ${mappings.map(m => m.restApiId).join(', ')}`
  )
  return true
}

/**
 * For a domain of ours that served nothing when the run looked: read again whether a gateway of ours is
 * tagged as served on it now (a run tags its API before it makes or maps the domain), and keep it if so.
 */
async function claimed(ctx: AwsContext, name: string, owner: string): Promise<boolean> {
  const by = (await restApi.listRestApis(ctx)).filter(
    a => isOurs(a.tags, owner) && a.tags[Tags.DomainName] === name
  )
  if (by.length === 0) return false
  ctx.log.info(
    `Custom domain ${name} is kept: REST API ${by.map(a => a.id).join(', ')} is to be served on it`
  )
  return true
}

/** Makes a custom domain; an answer lost on the way back is matched to the domain of ours it made. */
async function makeDomain(
  ctx: AwsContext,
  owner: string,
  step: Extract<DomainStep, { op: 'create-domain' }>
): Promise<CustomDomain> {
  try {
    return await domains.createDomainName(ctx, step, async () => {
      const d = await domains.getDomainName(ctx, step.name)
      return d && isOurs(d.tags, owner) ? d : undefined
    })
  } catch (error) {
    // a racing run made it first: read again, and reuse it if it is ours
    if (isAwsError(error, 'BadRequestException', 'ConflictException') && /exist/i.test(error.message)) {
      throw new ChangedUnderUs(`Custom domain ${step.name} was made meanwhile`)
    }
    throw error
  }
}

/** One run's part in the domains it leaves or sweeps. */
interface DomainsLeft {
  /** By domain name: the records removed with the domain, each change's zone with its records. */
  removed: Map<string, { zoneId: string; records: DnsRecord[] }[]>
  /** Domains whose sweep AWS refused part of: left whole for a later run. */
  held: Set<string>
}

/**
 * A domain that stays after all (a run mapped onto it, or claimed it, once its records were gone): the
 * records this run removed with it are put back as they were, so the gateway mapped meanwhile is not left
 * without them. One written meanwhile (by that run) wins: the change fails, and is let go.
 */
async function restoreRecords(ctx: AwsContext, name: string, left: DomainsLeft): Promise<void> {
  for (const { zoneId, records } of left.removed.get(name) ?? []) {
    try {
      await dns.changeRecords(
        ctx,
        zoneId,
        `${name}: its API Gateway custom domain stays`,
        records.map(record => ({ action: 'CREATE', record }))
      )
      ctx.log.info(`The records for ${name} in hosted zone ${zoneId} are put back: the domain stays`)
    } catch (error) {
      // the delete policy removes records only: the gateway's next create writes them again
      if (isAwsError(error, 'AccessDeniedException', 'AccessDenied')) {
        ctx.log.warning(
          `Custom domain ${name} stays (mapped meanwhile), but its records in hosted zone ${zoneId} are gone ` +
            `and could not be put back (${errorMessage(error)}): re-run the create of the gateway served on it`
        )
        continue
      }
      if (!(isAwsError(error, 'InvalidChangeBatch') && /exist/i.test(error.message))) throw error
      ctx.log.info(`The records for ${name} in hosted zone ${zoneId} were written again meanwhile`)
    }
  }
  left.removed.delete(name)
}

type SharedDomainStep = Exclude<
  DomainStep,
  { op: 'create-domain' | 'map-base-path' | 'tag-api' | 'untag-api' | 'tag-domain' }
>

/**
 * The domain steps a create and a delete share; `made` is the target of the domain this run made. A
 * sweep of a domain serving nothing that AWS refuses is left for a later run: it never fails this one.
 */
async function performDomainStep(
  ctx: AwsContext,
  step: SharedDomainStep,
  made: AliasTarget | undefined,
  left: DomainsLeft
): Promise<void> {
  if ((step.op !== 'delete-domain' && step.op !== 'delete-dns-record') || step.sweep === undefined) {
    return performSharedDomainStep(ctx, step, made, left)
  }
  const domain = step.op === 'delete-domain' ? step.name : (step.withDomain ?? step.name)
  // a domain whose record could not go stays too: without the domain, nothing would find the record
  if (step.op === 'delete-domain' && left.held.has(domain)) return
  try {
    await performSharedDomainStep(ctx, step, made, left)
  } catch (error) {
    if (!(error instanceof AwsCallError)) throw error
    left.held.add(domain)
    ctx.log.warning(
      `Could not remove custom domain ${domain}, ` +
        `which serves nothing, or its record (${errorMessage(error)}): it is left for a later run`
    )
  }
}

async function performSharedDomainStep(
  ctx: AwsContext,
  step: SharedDomainStep,
  made: AliasTarget | undefined,
  left: DomainsLeft
): Promise<void> {
  switch (step.op) {
    case 'set-domain-certificate':
      return domains.setDomainCertificate(ctx, step.name, step.endpointType, step.certificateArn)
    case 'set-base-path-stage':
      return domains.setBasePathStage(ctx, step.name, step.basePath, step.stage)
    case 'unmap-base-path':
      return domains.deleteBasePathMapping(ctx, step.name, step.basePath)
    case 'delete-domain':
      if (
        (await stillMapped(ctx, step.name)) ||
        (step.sweep !== undefined && (await claimed(ctx, step.name, step.sweep)))
      ) {
        return restoreRecords(ctx, step.name, left)
      }
      return domains.deleteDomainName(ctx, step.name)
    case 'upsert-dns-record': {
      const target = step.target ?? made
      if (!target) throw new Error(`internal error: no target for the alias record of ${step.name}`)
      // never an UPSERT of the alias: a record made or changed meanwhile fails the change instead
      return onChange(
        dns.changeRecords(ctx, step.zoneId, `${step.name} to its API Gateway custom domain`, [
          ...(step.replace ? [{ action: 'DELETE' as const, record: step.replace }] : []),
          { action: 'CREATE', record: aliasRecord(step.name, target) },
          { action: 'UPSERT', record: step.marker }
        ])
      )
    }
    case 'delete-dns-record':
      // a domain another run mapped meanwhile keeps its record (and the domain, see above)
      if (step.withDomain && (await stillMapped(ctx, step.withDomain))) return
      if (step.withDomain && step.sweep && (await claimed(ctx, step.withDomain, step.sweep))) return
      try {
        await dns.changeRecords(
          ctx,
          step.zoneId,
          `${step.name}: its API Gateway custom domain goes`,
          step.records.map(record => ({ action: 'DELETE', record }))
        )
        if (step.withDomain) {
          const before = left.removed.get(step.withDomain) ?? []
          left.removed.set(step.withDomain, [...before, { zoneId: step.zoneId, records: step.records }])
        }
      } catch (error) {
        // a run leaving the same domain at the same time removed them first
        if (!(isAwsError(error, 'InvalidChangeBatch') && /not found/i.test(error.message))) throw error
        ctx.log.info(`The records for ${step.name} in hosted zone ${step.zoneId} are gone already`)
      }
      return
  }
}

/**
 * Makes the VPC link; after a lost answer, uses the link of ours for this gateway that the lost attempt made.
 */
async function makeVpcLink(
  ctx: AwsContext,
  plan: CreatePlan,
  built: Built,
  hooks: ApplyHooks,
  spec: VpcLinkSpec
): Promise<void> {
  const link = await vpcLinks.createVpcLink(
    ctx,
    spec.version === 'v1' ? { ...spec, description: `Made by ${hooks.madeBy}` } : spec,
    async () =>
      (await vpcLinks.listVpcLinks(ctx, spec.version)).find(
        l => madeFor(l.tags, plan.owner, plan.apiName) && linkLeadsTo(l, spec, plan.owner)
      )
  )
  built.madeLink = { id: link.id, version: link.version }
  hooks.onCreated?.({ kind: 'vpc-link', id: link.id, version: link.version })
  ctx.log.info(`Created VPC link ${link.id} (${link.status})`)
}

/** Makes the REST API, and starts the look for racing runs' twins beside the rest of the build. */
async function makeApi(
  ctx: AwsContext,
  plan: CreatePlan,
  built: Built,
  hooks: ApplyHooks,
  step: Extract<Step, { op: 'create-api' }>
): Promise<void> {
  // marks this attempt, so an answer lost on the way back is matched to this API only, never
  // to a same-named one a racing run made meanwhile
  const attempt = `(request ${randomUUID()})`
  const api = await restApi.createRestApi(
    ctx,
    {
      name: step.name,
      description: `REST gateway to a Cortex cluster, made by ${hooks.madeBy} ${attempt}`,
      endpointType: step.endpointType,
      tags: step.tags,
      ...step.settings
    },
    async () =>
      (await restApi.listRestApis(ctx)).find(
        a => a.name === step.name && isOurs(a.tags, plan.owner) && (a.description ?? '').includes(attempt)
      )
  )
  built.apiId = api.id
  built.createdApi = true
  built.settling = hooks.settle?.({ id: api.id, createdDate: api.createdDate })
  built.settling?.catch(() => undefined)
  hooks.onCreated?.({ kind: 'api', id: api.id })
  const root =
    api.rootResourceId ?? (await restApi.getResources(ctx, api.id)).find(r => r.path === ROOT_PATH)?.id
  if (root) built.resourceIds.set(ROOT_PATH, root)
  ctx.log.info(`Created REST API ${api.id}`)
}

/** Deploys what the API holds now and points the stage at it (a new stage is made tagged). */
async function deploy(
  ctx: AwsContext,
  plan: CreatePlan,
  built: Built,
  step: Extract<Step, { op: 'deploy' }>
): Promise<void> {
  // labelled with what is deployed, the new link's real id included
  const label = deploymentDescription(
    resolveResources(plan.desired, built.madeLink?.id),
    plan.deployedSettings
  )
  const api = built.api()
  const deployed = async (): Promise<string> => {
    const id = await restApi.createDeployment(ctx, api, label)
    if (step.newStage) await restApi.createStage(ctx, api, step.stage, id, step.tags)
    else await restApi.pointStage(ctx, api, step.stage, id)
    return id
  }
  const id = await deployed()
  built.deploymentId = id
  ctx.log.info(`Deployed ${id} to stage ${step.stage}`)
}

export interface DeleteResult {
  deletedApis: string[]
  deletedVpcLinks: string[]
  keptVpcLinks: string[]
}

export async function applyDelete(ctx: AwsContext, plan: DeletePlan): Promise<DeleteResult> {
  const result: DeleteResult = { deletedApis: [], deletedVpcLinks: [], keptVpcLinks: [] }
  const left: DomainsLeft = { removed: new Map(), held: new Set() }
  for (const step of plan.steps) {
    ctx.log.info(describeStep(step))
    if (step.op === 'delete-api') {
      if (await deleteRestApiInTurn(ctx, step.apiId)) result.deletedApis.push(step.apiId)
      else ctx.log.info(`REST API ${step.apiId} was already gone`)
    } else if (
      step.op === 'unmap-base-path' ||
      step.op === 'delete-domain' ||
      step.op === 'delete-dns-record'
    ) {
      await performDomainStep(ctx, step, undefined, left)
    } else if (
      step.op === 'update-usage-plan' ||
      step.op === 'detach-api-key' ||
      step.op === 'delete-api-key' ||
      step.op === 'delete-usage-plan'
    ) {
      await performKeyStep(ctx, step)
    } else if (step.op === 'delete-vpc-link') {
      const outcome = (await keptForUsers(ctx, step))
        ? 'kept'
        : await vpcLinks.deleteVpcLinkAndWait(ctx, step.vpcLinkId, { version: step.version })
      if (outcome === 'kept') result.keptVpcLinks.push(step.vpcLinkId)
      else result.deletedVpcLinks.push(step.vpcLinkId)
    } else {
      throw new Error(`internal error: ${step.op} in a delete plan`)
    }
  }
  return result
}

/**
 * For a link other gateways went through when the run looked: read them again now (after this
 * run's APIs are gone, so of two gateways deleted at once the second to look takes the link
 * along), and keep the link, saying why, if one still goes through it.
 */
async function keptForUsers(
  ctx: AwsContext,
  step: Extract<Step, { op: 'delete-vpc-link' }>
): Promise<boolean> {
  if (!step.unlessUsedBy?.length) return false
  const users =
    (await readLinkUsers(ctx, step.unlessUsedBy, new Set([step.vpcLinkId]))).get(step.vpcLinkId) ?? []
  if (users.length === 0) return false
  ctx.log.info(`VPC link ${step.vpcLinkId} is kept: REST API ${users.join(', ')} still goes through it`)
  return true
}
