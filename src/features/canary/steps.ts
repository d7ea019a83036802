/** The canary's steps: the stage's variables, its canary made, changed, promoted or removed; its VPC link. */
import { StageVariables } from '../../core/desired.js'
import { deploymentDescription } from '../../core/desired.js'
import * as vpcLinks from '../../aws/vpc-links.js'
import type { CreateConfig } from '../../config/inputs.js'
import type { CreateDiscovery } from '../../core/plan.js'
import { createOurVpcLink } from '../../engine/make-link.js'
import type { Built, StepHandlers } from '../../engine/run.js'
import type { Canary } from '../../report/run.js'
import { NEW_VPC_LINK, resolveLink, resolveResources } from '../../model/model.js'
import { createCanaryDeployment, patchStage, type StagePatch } from './aws.js'
import { NEW_CANARY_LINK, type CanaryStep, type Variables } from './plan.js'

/** The variables with the ids of the VPC links the run made. */
export function resolveVariables(
  vars: Variables,
  built: Pick<Built, 'madeLink' | 'madeCanaryLink'>
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(vars).map(([k, v]) => {
      if (typeof v === 'string') return [k, v]
      if (v === NEW_VPC_LINK) return [k, resolveLink(v, built.madeLink?.id)]
      if (v === NEW_CANARY_LINK && built.madeCanaryLink) return [k, built.madeCanaryLink.id]
      throw new Error('internal error: the canary VPC link is used before it is made')
    })
  )
}

/** A share, as people write it: 10, 12.5, 87.5. */
export const share = (percent: number): string => String(Number(percent.toFixed(6)))
const rest = (percent: number): string => share(100 - percent)

/** The stage's traffic with a canary, each cluster with its share; undefined without one. */
export function sharesOf(
  config: Pick<CreateConfig, 'canary'>,
  found: Pick<CreateDiscovery, 'loadBalancer' | 'canary'>
): string | undefined {
  const lb = found.canary?.loadBalancer
  if (!config.canary || !lb) return undefined
  const p = config.canary.percent
  return `${share(p)} % to ${lb.dnsName}, ${rest(p)} % to ${found.loadBalancer.dnsName}`
}

/** The stage canary as the summary draws it: the new cluster's load balancer and its share. */
export function canaryOf(
  config: Pick<CreateConfig, 'canary'>,
  found: Pick<CreateDiscovery, 'canary'>
): Canary | undefined {
  const lb = found.canary?.loadBalancer
  return config.canary && lb ? { target: lb.dnsName, percent: config.canary.percent } : undefined
}

/** What a variable stands for in a step's text: its value, or the link the run makes. */
function named(vars: Variables, made: string | undefined): string {
  const link = vars[StageVariables.VpcLink]
  if (link === undefined) return ''
  const id =
    typeof link === 'string'
      ? link
      : link === NEW_VPC_LINK
        ? (made ?? '<new-vpc-link>')
        : '<new-canary-vpc-link>'
  return ` via ${id}`
}

/** What stage variables point a stage at: `at <host> via <link id>`. */
export function describeVariables(vars: Variables, made: string | undefined): string {
  const host = vars[StageVariables.Host]
  return `at ${typeof host === 'string' ? host : '?'}${named(vars, made)}`
}

const patches = (prefix: string, set: Record<string, string>, remove: string[]): StagePatch[] => [
  ...Object.entries(set).map(([k, value]): StagePatch => ({ op: 'replace', path: `${prefix}/${k}`, value })),
  ...remove.map((k): StagePatch => ({ op: 'remove', path: `${prefix}/${k}` }))
]

export const canarySteps: StepHandlers<CanaryStep> = {
  'set-stage-variables': {
    text: (step, made) =>
      `point stage "${step.stage}" at ${step.host}${named(step.set, made)} (its variables)`,
    create: ({ ctx, built }, step) =>
      patchStage(
        ctx,
        built.api(),
        step.stage,
        patches('/variables', resolveVariables(step.set, built), step.remove)
      )
  },
  'create-canary': {
    text: (step, made) =>
      `give stage "${step.stage}" a canary: ${share(step.percent)} % to ${step.host}${named(step.overrides, made)}, ` +
      `${rest(step.percent)} % to ${step.current}`,
    create: async ({ ctx, plan, built }, step) => {
      // labelled as the stage's deployment is: the same API, the cluster told apart by the canary's variables
      const label = deploymentDescription(
        resolveResources(plan.desired, built.madeLink?.id),
        plan.deployedSettings
      )
      await createCanaryDeployment(ctx, built.api(), step.stage, label, {
        percent: step.percent,
        overrides: resolveVariables(step.overrides, built)
      })
    }
  },
  'update-canary': {
    text: (step, made) =>
      `change the canary of stage "${step.stage}": ${share(step.share)} % to ${step.host}${named(step.set, made)}, ` +
      `${rest(step.share)} % to ${step.current}`,
    create: ({ ctx, built }, step) =>
      patchStage(ctx, built.api(), step.stage, [
        ...(step.percent !== undefined
          ? [{ op: 'replace' as const, path: '/canarySettings/percentTraffic', value: share(step.percent) }]
          : []),
        ...patches('/canarySettings/stageVariableOverrides', resolveVariables(step.set, built), step.remove)
      ])
  },
  'promote-canary': {
    text: step => `promote the canary of stage "${step.stage}": 100 % to ${step.host}`,
    // AWS's promotion: the canary's variables and deployment become the stage's
    create: ({ ctx, built }, step) =>
      patchStage(ctx, built.api(), step.stage, [
        { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
        { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' }
      ])
  },
  'remove-canary': {
    text: step => `remove the canary of stage "${step.stage}": 100 % to ${step.current}`,
    create: ({ ctx, built }, step) =>
      patchStage(ctx, built.api(), step.stage, [{ op: 'remove', path: '/canarySettings' }])
  },
  'create-canary-vpc-link': {
    text: step =>
      step.link.version === 'v1'
        ? `create VPC link "${step.link.name}" to ${step.link.targetArn} (the canary's)`
        : '',
    create: async ({ ctx, plan, built, hooks }, step) => {
      const spec = step.link
      const link = await createOurVpcLink(ctx, plan, hooks, spec)
      built.madeCanaryLink = { id: link.id, version: link.version }
      ctx.log.info(`Created VPC link ${link.id} (${link.status}) for the canary`)
      await vpcLinks.waitForVpcLinkAvailable(ctx, link)
    }
  }
}
