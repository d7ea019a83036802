/** Carries out a plan's steps in order, resolving the ids that earlier steps create. */
import { PROXY_PATH, ROOT_PATH, Tags } from './constants.js'
import { deploymentDescription } from './desired.js'
import { ActionError } from './errors.js'
import { chooseOwnedApi, describeStep, isOwned, NEW_VPC_LINK, type CreatePlan, type DeletePlan, type ExistingApi, type Step } from './plan.js'
import type { AwsContext } from './aws/context.js'
import * as restApi from './aws/rest-api.js'
import * as vpcLinks from './aws/vpc-links.js'

export interface CreateResult {
  apiId: string
  vpcLinkId?: string
  deploymentId?: string
  /** Set when this run made the API: racing runs check for twins afterwards. */
  createdApi: boolean
  /** Set when this run made the VPC link. */
  createdVpcLink?: string
}

/** Replaces the placeholder for a VPC link the plan creates by its real id. */
function withLinkId<T>(value: T, vpcLinkId: string | undefined): T {
  if (!vpcLinkId) return value
  return JSON.parse(JSON.stringify(value).replaceAll(NEW_VPC_LINK, vpcLinkId)) as T
}

export async function applyCreate(
  ctx: AwsContext,
  plan: CreatePlan,
  existing: ExistingApi | undefined,
  description: string
): Promise<CreateResult> {
  let apiId = plan.apiId
  let vpcLinkId = plan.vpcLinkId
  let deploymentId: string | undefined
  let createdApi = false
  let createdVpcLink: string | undefined
  const resourceIds = new Map<string, string>()
  for (const r of existing?.resources ?? []) if (!resourceIds.has(r.path)) resourceIds.set(r.path, r.id)
  if (existing?.summary.rootResourceId) resourceIds.set(ROOT_PATH, existing.summary.rootResourceId)

  const needApi = (): string => {
    if (!apiId) throw new Error('internal error: API step before the API exists')
    return apiId
  }
  const resourceId = (path: string): string => {
    const id = resourceIds.get(path)
    if (!id) throw new ActionError(`Resource ${path} of API ${apiId} not found; re-run to converge`)
    return id
  }

  for (const planned of plan.steps) {
    const step: Step = withLinkId(planned, vpcLinkId === NEW_VPC_LINK ? undefined : vpcLinkId)
    ctx.log.info(describeStep(step))
    switch (step.op) {
      case 'create-vpc-link': {
        const link = await vpcLinks.createVpcLink(
          ctx,
          { name: step.name, targetArn: step.targetArn, description: `Made by ${description}`, tags: step.tags },
          async () =>
            (await vpcLinks.listVpcLinks(ctx)).find(
              (l) =>
                isOwned(l.tags) &&
                l.tags[Tags.ApiName] === step.tags[Tags.ApiName] &&
                l.targetArns.includes(step.targetArn) &&
                l.status !== 'FAILED' &&
                l.status !== 'DELETING'
            )
        )
        vpcLinkId = link.id
        createdVpcLink = link.id
        ctx.log.info(`Created VPC link ${link.id} (${link.status})`)
        break
      }
      case 'wait-vpc-link': {
        const link = await vpcLinks.getVpcLink(ctx, step.vpcLinkId)
        if (!link) throw new ActionError(`VPC link ${step.vpcLinkId} disappeared; re-run to make a new one`)
        await vpcLinks.waitForVpcLinkAvailable(ctx, link)
        break
      }
      case 'create-api': {
        const api = await restApi.createRestApi(
          ctx,
          {
            name: step.name,
            description: `REST gateway to a Cortex cluster, made by ${description}`,
            endpointType: step.endpointType,
            tags: step.tags
          },
          async () => chooseOwnedApi((await restApi.listRestApis(ctx)).filter((a) => a.name === step.name && isOwned(a.tags)))
        )
        apiId = api.id
        createdApi = true
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
      case 'create-resource': {
        const r = await restApi.createResource(ctx, needApi(), resourceId(step.parentPath), step.pathPart)
        resourceIds.set(r.path || PROXY_PATH, r.id)
        break
      }
      case 'delete-method':
        await restApi.deleteMethod(ctx, needApi(), resourceId(step.path), step.httpMethod)
        break
      case 'put-method':
        await restApi.putMethod(ctx, needApi(), resourceId(step.path), step.method)
        break
      case 'deploy': {
        // a link made in this run changes what is deployed: label it with the real id
        const label = plan.vpcLinkId === NEW_VPC_LINK ? deploymentDescription(withLinkId(plan.desired, vpcLinkId)) : step.description
        deploymentId = await restApi.createDeployment(ctx, needApi(), step.stage, label)
        ctx.log.info(`Deployed ${deploymentId} to stage ${step.stage}`)
        break
      }
      case 'delete-api':
        await restApi.deleteRestApi(ctx, step.apiId)
        break
      case 'delete-vpc-link':
        // a leftover of ours; nothing waits on it going, so neither do we
        await vpcLinks.deleteVpcLinkAndWait(ctx, step.vpcLinkId, { wait: false })
        break
    }
  }
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
      const outcome = await vpcLinks.deleteVpcLinkAndWait(ctx, step.vpcLinkId)
      if (outcome === 'kept') result.keptVpcLinks.push(step.vpcLinkId)
      else result.deletedVpcLinks.push(step.vpcLinkId)
    } else {
      throw new Error(`internal error: ${step.op} in a delete plan`)
    }
  }
  return result
}
