/** The gateway's own steps: the VPC link, the REST API, its resources and methods, the stage, their removal. */
import { randomUUID } from 'node:crypto'
import { ROOT_PATH } from '../base/constants.js'
import { ChangedUnderUs } from '../base/errors.js'
import type { AwsContext } from '../aws/context.js'
import * as restApi from '../aws/rest-api.js'
import * as vpcLinks from '../aws/vpc-links.js'
import { deploymentDescription } from '../core/desired.js'
import type { CreatePlan, GatewayStep, Step } from '../core/plan.js'
import {
  resolveLink,
  resolveMethod,
  resolveResources,
  type LinkRef,
  type VpcLinkSpec
} from '../model/model.js'
import { isOurs } from '../model/ownership.js'
import { deleteRestApiInTurn } from './delete-line.js'
import { describeVariables, resolveVariables } from '../features/canary/steps.js'
import { readLinkUsers } from './discover.js'
import { createOurVpcLink } from './make-link.js'
import { removeStatementsOfTwin } from '../features/authorizer/steps.js'
import type { ApplyHooks, Built, StepHandlers } from './run.js'
import { changesText } from '../report/words.js'

/** How a step names a link: its id, the id of the one the run made, or "<new-vpc-link>" in a plan. */
function linkText(ref: LinkRef | undefined, made: string | undefined): string {
  return typeof ref === 'string' ? ref : (made ?? '<new-vpc-link>')
}

const tagsText = (tags: Record<string, string>): string => Object.keys(tags).join(', ')

export const gatewaySteps: StepHandlers<GatewayStep> = {
  'create-vpc-link': {
    text: ({ link }) =>
      link.version === 'v1'
        ? `create VPC link "${link.name}" to ${link.targetArn}`
        : `create VPC link v2 "${link.name}" in ${link.subnetIds.join(', ')} ` +
          `with ${link.securityGroupIds.join(', ')}`,
    create: ({ ctx, plan, built, hooks }, step) => makeVpcLink(ctx, plan, built, hooks, step.link)
  },
  'wait-vpc-link': {
    text: (step, made) =>
      `wait for VPC link ${linkText(step.vpcLinkId, made)}${step.version === 'v2' ? ' (v2)' : ''} ` +
      'to become AVAILABLE',
    create: async ({ ctx, built }, step) => {
      const id = resolveLink(step.vpcLinkId, built.madeLink?.id)
      const link = await vpcLinks.getVpcLink(ctx, id, step.version)
      if (!link) throw new ChangedUnderUs(`VPC link ${id} is gone`)
      await vpcLinks.waitForVpcLinkAvailable(ctx, link)
    }
  },
  'create-api': {
    text: step => `create ${step.endpointType} REST API "${step.name}"`,
    create: ({ ctx, plan, built, hooks }, step) => makeApi(ctx, plan, built, hooks, step)
  },
  'set-endpoint-type': {
    text: step => `change endpoint type ${step.from} → ${step.to}`,
    create: ({ ctx, built }, step) => restApi.setEndpointType(ctx, built.api(), step.from, step.to)
  },
  'tag-api': {
    text: step => `tag the API with ${tagsText(step.tags)}`,
    create: ({ ctx, built }, step) => restApi.tagRestApi(ctx, built.api(), step.tags)
  },
  'untag-api': {
    text: step => `untag the API: ${step.keys.join(', ')}`,
    create: ({ ctx, built }, step) => restApi.untagRestApi(ctx, built.api(), step.keys)
  },
  'adopt-api': {
    text: step => `adopt REST API ${step.apiId} (${step.previously}): tag it as this repository's`,
    create: ({ ctx }, step) => restApi.tagRestApi(ctx, step.apiId, step.tags)
  },
  'create-resource': {
    text: step => `create resource ${step.path}`,
    create: async ({ ctx, built }, step) => {
      const r = await restApi.createResource(ctx, built.api(), built.resource(step.parentPath), step.pathPart)
      built.resourceIds.set(r.path || step.path, r.id)
    }
  },
  'delete-method': {
    text: step => `delete method ${step.httpMethod} ${step.path}`,
    create: ({ ctx, built }, step) =>
      restApi.deleteMethod(ctx, built.api(), built.resource(step.path), step.httpMethod)
  },
  'put-method': {
    text: ({ path, method, changes }, made) => {
      const i = method.integration
      return (
        `put method ${method.httpMethod} ${path}` +
        (method.authorizationType === 'NONE' ? '' : ` (${method.authorizationType})`) +
        ` → ${i.type}${i.uri ? ` ${i.uri}` : ''}` +
        (i.connectionType === 'VPC_LINK' ? ` via ${linkText(i.connectionId, made)}` : '') +
        (i.integrationTarget ? ` to ${i.integrationTarget}` : '') +
        (changes?.length ? `: ${changesText(changes)}` : '')
      )
    },
    create: ({ ctx, built }, step) =>
      restApi.putMethod(
        ctx,
        built.api(),
        built.resource(step.path),
        resolveMethod(step.method, built.madeLink?.id, built.madeAuthorizer)
      )
  },
  deploy: {
    text: (step, made) =>
      `deploy ${step.newStage ? 'new ' : ''}stage "${step.stage}"` +
      (step.variables ? ` ${describeVariables(step.variables, made)}` : ''),
    create: ({ ctx, plan, built }, step) => deploy(ctx, plan, built, step)
  },
  'tag-stage': {
    text: step => `tag stage "${step.stage}" with ${tagsText(step.tags)}`,
    create: ({ ctx, built }, step) => restApi.tagStage(ctx, built.api(), step.stage, step.tags)
  },
  'delete-api': {
    text: step => `delete REST API ${step.apiId}`,
    create: async ({ ctx }, step) => {
      // a twin's Lambda statements name it alone: they go first
      await removeStatementsOfTwin(ctx, step.apiId)
      await restApi.deleteRestApi(ctx, step.apiId)
    },
    // a delete takes its turn in the account's line of deletes
    delete: async ({ ctx, result }, step) => {
      if (await deleteRestApiInTurn(ctx, step.apiId)) result.deletedApis.push(step.apiId)
      else ctx.log.info(`REST API ${step.apiId} was already gone`)
    }
  },
  'delete-vpc-link': {
    text: step =>
      `delete VPC link ${step.vpcLinkId}${step.version === 'v2' ? ' (v2)' : ''}` +
      (step.unlessUsedBy ? ` unless REST API ${step.unlessUsedBy.join(', ')} still goes through it` : ''),
    // a leftover of ours; nothing waits on it going, so neither do we
    create: async ({ ctx }, step) => {
      if (!(await keptForUsers(ctx, step))) {
        await vpcLinks.deleteVpcLinkAndWait(ctx, step.vpcLinkId, { wait: false, version: step.version })
      }
    },
    delete: async ({ ctx, result }, step) => {
      const outcome = (await keptForUsers(ctx, step))
        ? 'kept'
        : await vpcLinks.deleteVpcLinkAndWait(ctx, step.vpcLinkId, { version: step.version })
      if (outcome === 'kept') result.keptVpcLinks.push(step.vpcLinkId)
      else result.deletedVpcLinks.push(step.vpcLinkId)
    }
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
  const link = await createOurVpcLink(ctx, plan, hooks, spec)
  built.madeLink = { id: link.id, version: link.version }
  hooks.onCreated?.({ kind: 'vpc-link', id: link.id, version: link.version })
  // an AVAILABLE link is said so by the wait that follows, not before it
  ctx.log.info(`Created VPC link ${link.id}${link.status === 'AVAILABLE' ? '' : ` (${link.status})`}`)
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
    resolveResources(plan.desired, built.madeLink?.id, built.madeAuthorizer),
    plan.deployedSettings
  )
  const api = built.api()
  const deployed = async (): Promise<string> => {
    const id = await restApi.createDeployment(ctx, api, label)
    if (step.newStage)
      await restApi.createStage(
        ctx,
        api,
        step.stage,
        id,
        step.tags,
        step.variables && resolveVariables(step.variables, built)
      )
    else await restApi.pointStage(ctx, api, step.stage, id, step.canaryFollows)
    return id
  }
  const id = await deployed()
  built.deploymentId = id
  ctx.log.info(`Deployed ${id} to stage ${step.stage}`)
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
