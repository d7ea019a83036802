/** Carries out a plan's steps in order, resolving the ids that earlier steps create. */
import { ROOT_PATH } from './constants.js'
import { deploymentDescription } from './desired.js'
import { ChangedUnderUs, isAwsError } from './errors.js'
import { randomUUID } from 'node:crypto'
import { isOurs, madeFor } from './ownership.js'
import { describeStep, linkLeadsTo, linksUsedBy, NEW_VPC_LINK, type CreatePlan, type DeletePlan, type ExistingApi, type Step } from './plan.js'
import { all, type AwsContext } from './aws/context.js'
import * as restApi from './aws/rest-api.js'
import * as vpcLinks from './aws/vpc-links.js'

/** Something a run made (not found): what delete-on-exit may delete, and only that. */
export type Created = { kind: 'api'; id: string } | { kind: 'vpc-link'; id: string; version: vpcLinks.VpcLinkVersion }

export interface CreateResult {
  apiId: string
  vpcLinkId?: string
  deploymentId?: string
  /** Set when this run made the API: racing runs check for twins afterwards. */
  createdApi: boolean
  /** Set when this run made the VPC link. */
  createdVpcLink?: { id: string; version: vpcLinks.VpcLinkVersion }
}

/** Replaces the placeholder for a VPC link the plan creates by its real id. */
function withLinkId<T>(value: T, vpcLinkId: string | undefined): T {
  if (!vpcLinkId) return value
  return JSON.parse(JSON.stringify(value).replaceAll(NEW_VPC_LINK, vpcLinkId)) as T
}

/**
 * Runs the steps in plan order, but not one by one where AWS does not need it: the work on
 * each method (delete, put) is a chain of its own that starts once its resource exists, and
 * chains run side by side; any other step waits for all of them first. Racing runs are
 * looked for (`settle`) from the moment the API exists, beside the rest of the build; the
 * deployment waits for the answer.
 */
export async function applyCreate(
  ctx: AwsContext,
  plan: CreatePlan,
  existing: ExistingApi | undefined,
  description: string,
  settle?: (made: { id: string; createdDate?: Date }) => Promise<unknown>,
  onCreated: (made: Created) => void = () => undefined
): Promise<CreateResult> {
  let apiId = plan.apiId
  let vpcLinkId = plan.vpcLinkId
  let deploymentId: string | undefined
  let createdApi = false
  let settling: Promise<unknown> | undefined
  let createdVpcLink: CreateResult['createdVpcLink']
  const resourceIds = new Map<string, string>()
  for (const r of existing?.resources ?? []) if (!resourceIds.has(r.path)) resourceIds.set(r.path, r.id)
  if (existing?.summary.rootResourceId) resourceIds.set(ROOT_PATH, existing.summary.rootResourceId)

  const needApi = (): string => {
    if (!apiId) throw new Error('internal error: API step before the API exists')
    return apiId
  }
  const resourceId = (path: string): string => {
    const id = resourceIds.get(path)
    if (!id) throw new ChangedUnderUs(`Resource ${path} of API ${apiId} is gone`)
    return id
  }

  /** Work in flight: per resource path (its creation) and per method (its chain). */
  const resourceReady = new Map<string, Promise<void>>()
  const methodChains = new Map<string, Promise<void>>()
  const inFlight = (): Promise<void>[] => [...resourceReady.values(), ...methodChains.values()]
  const barrier = async (): Promise<void> => {
    const pending = inFlight()
    resourceReady.clear()
    methodChains.clear()
    await all(pending)
  }
  const chain = (path: string, httpMethod: string, work: () => Promise<void>): void => {
    const key = `${httpMethod} ${path}`
    const before = methodChains.get(key) ?? resourceReady.get(path) ?? Promise.resolve()
    const next = before.then(work)
    // a failure is reported by the barrier that awaits the chain, not here
    next.catch(() => undefined)
    methodChains.set(key, next)
  }

  try {
    for (const planned of plan.steps) {
      const step: Step = withLinkId(planned, vpcLinkId === NEW_VPC_LINK ? undefined : vpcLinkId)
      ctx.log.info(describeStep(step))
      switch (step.op) {
        case 'create-resource': {
          const api = needApi()
          const parent = resourceReady.get(step.parentPath) ?? Promise.resolve()
          const ready = parent.then(async () => {
            const r = await restApi.createResource(ctx, api, resourceId(step.parentPath), step.pathPart)
            resourceIds.set(r.path || step.path, r.id)
          })
          ready.catch(() => undefined)
          resourceReady.set(step.path, ready)
          continue
        }
        case 'delete-method': {
          const api = needApi()
          chain(step.path, step.httpMethod, () => restApi.deleteMethod(ctx, api, resourceId(step.path), step.httpMethod))
          continue
        }
        case 'put-method': {
          const api = needApi()
          chain(step.path, step.method.httpMethod, () => restApi.putMethod(ctx, api, resourceId(step.path), step.method))
          continue
        }
        default:
          await barrier()
      }
      switch (step.op) {
        case 'create-vpc-link': {
          const spec = step.link
          const link = await vpcLinks.createVpcLink(
            ctx,
            spec.version === 'v1' ? { ...spec, description: `Made by ${description}` } : spec,
            // after a lost answer: the link of ours for this API that the lost attempt made
            async () =>
              (await vpcLinks.listVpcLinks(ctx, spec.version)).find(
                (l) => madeFor(l.tags, plan.owner, plan.apiName) && linkLeadsTo(l, spec, plan.owner)
              )
          )
          vpcLinkId = link.id
          createdVpcLink = { id: link.id, version: link.version }
          onCreated({ kind: 'vpc-link', id: link.id, version: link.version })
          ctx.log.info(`Created VPC link ${link.id} (${link.status})`)
          break
        }
        case 'wait-vpc-link': {
          const link = await vpcLinks.getVpcLink(ctx, step.vpcLinkId, step.version)
          if (!link) throw new ChangedUnderUs(`VPC link ${step.vpcLinkId} is gone`)
          await vpcLinks.waitForVpcLinkAvailable(ctx, link)
          break
        }
        case 'create-api': {
          // marks this attempt, so an answer lost on the way back is matched to this API only,
          // never to a same-named one a racing run made meanwhile
          const attempt = `(request ${randomUUID()})`
          const api = await restApi.createRestApi(
            ctx,
            {
              name: step.name,
              description: `REST gateway to a Cortex cluster, made by ${description} ${attempt}`,
              endpointType: step.endpointType,
              tags: step.tags
            },
            async () =>
              (await restApi.listRestApis(ctx)).find(
                (a) => a.name === step.name && isOurs(a.tags, plan.owner) && (a.description ?? '').includes(attempt)
              )
          )
          apiId = api.id
          createdApi = true
          // racing runs are looked for from now on, beside the rest of the build (see findSurvivor)
          settling = settle?.({ id: api.id, createdDate: api.createdDate })
          settling?.catch(() => undefined)
          onCreated({ kind: 'api', id: api.id })
          if (api.rootResourceId) {
            resourceIds.set(ROOT_PATH, api.rootResourceId)
          } else {
            const root = (await restApi.getResources(ctx, api.id)).find((r) => r.path === ROOT_PATH)
            if (root) resourceIds.set(ROOT_PATH, root.id)
          }
          ctx.log.info(`Created REST API ${api.id}`)
          break
        }
        case 'set-endpoint-type':
          await restApi.setEndpointType(ctx, needApi(), step.from, step.to)
          break
        case 'tag-api':
          await restApi.tagRestApi(ctx, needApi(), step.tags)
          break
        case 'adopt-api':
          await restApi.tagRestApi(ctx, step.apiId, step.tags)
          break
        case 'tag-stage':
          await restApi.tagStage(ctx, needApi(), step.stage, step.tags)
          break
        case 'deploy': {
          // a link made in this run changes what is deployed: label it with the real id
          const label =
            plan.vpcLinkId === NEW_VPC_LINK ? deploymentDescription(withLinkId(plan.desired, vpcLinkId)) : step.description
          const api = needApi()
          const deploy = async (): Promise<string> => {
            const id = await restApi.createDeployment(ctx, api, label)
            if (step.newStage) await restApi.createStage(ctx, api, step.stage, id, step.tags)
            else await restApi.pointStage(ctx, api, step.stage, id)
            return id
          }
          const [id] = await all([deploy(), settling ?? Promise.resolve()])
          deploymentId = id
          ctx.log.info(`Deployed ${deploymentId} to stage ${step.stage}`)
          break
        }
        case 'delete-api':
          await restApi.deleteRestApi(ctx, step.apiId)
          break
        case 'delete-vpc-link':
          // a leftover of ours; nothing waits on it going, so neither do we
          if (!(await keptForUsers(ctx, step))) {
            await vpcLinks.deleteVpcLinkAndWait(ctx, step.vpcLinkId, { wait: false, version: step.version })
          }
          break
      }
    }
  } finally {
    // never leave a call running behind a failure: wait for the chains before reporting it
    await Promise.allSettled([...inFlight(), settling])
  }
  await barrier()
  return {
    apiId: needApi(),
    vpcLinkId: vpcLinkId === NEW_VPC_LINK ? undefined : vpcLinkId,
    deploymentId,
    createdApi,
    createdVpcLink
  }
}

export interface DeleteResult {
  deletedApis: string[]
  deletedVpcLinks: string[]
  keptVpcLinks: string[]
}

export async function applyDelete(ctx: AwsContext, plan: DeletePlan): Promise<DeleteResult> {
  const result: DeleteResult = { deletedApis: [], deletedVpcLinks: [], keptVpcLinks: [] }
  for (const step of plan.steps) {
    ctx.log.info(describeStep(step))
    if (step.op === 'delete-api') {
      if (await restApi.deleteRestApi(ctx, step.apiId)) result.deletedApis.push(step.apiId)
      else ctx.log.info(`REST API ${step.apiId} was already gone`)
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
async function keptForUsers(ctx: AwsContext, step: Extract<Step, { op: 'delete-vpc-link' }>): Promise<boolean> {
  if (!step.unlessUsedBy?.length) return false
  const users = (
    await all(
      step.unlessUsedBy.map(async (apiId) => {
        try {
          return linksUsedBy({ resources: await restApi.getResources(ctx, apiId) }).has(step.vpcLinkId) ? [apiId] : []
        } catch (error) {
          if (isAwsError(error, 'NotFoundException')) return []
          throw error
        }
      })
    )
  ).flat()
  if (users.length === 0) return false
  ctx.log.info(`VPC link ${step.vpcLinkId} is kept: REST API ${users.join(', ')} still goes through it`)
  return true
}
