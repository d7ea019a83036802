/**
 * The canary as a feature of the create plan: the stage's variables (the cluster it serves), and a canary
 * sending `canary-percent` to a new cluster, through a VPC link of its own when internal. Before the
 * deployment, but for a new stage's canary, made once the stage is.
 */
import { Tags } from '../../base/constants.js'
import type { CreateConfig } from '../../config/inputs.js'
import { StageVariables } from '../../core/desired.js'
import type { FeaturePlanner } from '../../core/feature.js'
import { chooseLink, routeTo } from '../../core/links.js'
import type { CreateDiscovery, Step } from '../../core/plan.js'
import { part } from '../../core/plan-part.js'
import type { LoadBalancer, VpcLink } from '../../model/model.js'
import { checkCanary, NEW_CANARY_LINK, planCanary, type Backend } from './plan.js'

/** The VPC link an internal canary goes through, where one exists (none is made here). */
export function canaryLinks(
  config: Pick<CreateConfig, 'owner' | 'apiName' | 'canary'>,
  canary: LoadBalancer | undefined,
  found: Pick<CreateDiscovery, 'vpcLinks' | 'api'>
): VpcLink[] {
  if (!config.canary || canary?.scheme !== 'internal') return []
  const { link } = chooseLink(config, canary, { version: 'v1' }, found)
  return link ? [link] : []
}

/** Checks the canary's load balancer against the stage's; throws before any write. */
export function checkCanaryOf(
  config: CreateConfig,
  found: Pick<CreateDiscovery, 'loadBalancer' | 'canary'>
): void {
  if (!config.canary || !found.canary) return
  const route = routeTo(config, found.loadBalancer)
  checkCanary(config.canary.input, found.loadBalancer, route, found.canary.loadBalancer)
}

/** The action's stage variables (and canary) a stage no longer needs, its integrations naming the backend. */
function leftVariables(stage: string, found: Pick<CreateDiscovery, 'api' | 'loadBalancer'>): Step[] {
  const st = found.api?.stage
  const have = st?.variables ?? {}
  const remove = Object.values(StageVariables).filter(k => have[k] !== undefined)
  const current = found.loadBalancer.dnsName
  return [
    ...(st?.canary && StageVariables.Host in st.canary.overrides
      ? [{ op: 'remove-canary' as const, stage, current }]
      : []),
    ...(remove.length > 0
      ? [{ op: 'set-stage-variables' as const, stage, set: {}, remove, host: current }]
      : [])
  ]
}

export const planCanaryFeature: FeaturePlanner = ({ config, found, backend, tags }) => {
  checkCanaryOf(config, found)
  // through a v2 link the integrations name their load balancer (a canary was refused above): the stage's
  // variables of a v1 link or an internet-facing load balancer before go, once the stage serves the new methods
  if (!backend) return { parts: { stage: part({ steps: leftVariables(config.stage, found) }) } }
  const lb = found.canary?.loadBalancer
  const steps: Step[] = []
  const notes: string[] = []
  let canary: { backend: Backend; percent: number; input: string } | undefined
  let keepLinks: VpcLink[] = []
  if (config.canary && lb) {
    const to: Backend = { host: lb.dnsName }
    if (lb.scheme === 'internal') {
      keepLinks = canaryLinks(config, lb, found)
      const link = keepLinks[0]
      if (link) {
        to.vpcLink = link.id
        if (link.status !== 'AVAILABLE' && link.status !== 'INACTIVE')
          steps.push({ op: 'wait-vpc-link', vpcLinkId: link.id, version: 'v1' })
      } else {
        to.vpcLink = NEW_CANARY_LINK
        steps.push({
          op: 'create-canary-vpc-link',
          link: {
            version: 'v1',
            name: config.vpcLinkName,
            targetArn: lb.arn,
            tags: { ...tags, [Tags.LoadBalancer]: lb.arn }
          }
        })
      }
    }
    canary = { backend: to, percent: config.canary.percent, input: config.canary.input }
  } else if (config.canary) {
    throw new Error('internal error: the canary load balancer was not discovered')
  }
  const plan = planCanary({ stageName: config.stage, stage: found.api?.stage, current: backend, canary })
  return {
    parts: {
      api: part({ steps: [...steps, ...plan.api], notes: [...notes, ...plan.notes] }),
      stage: part({ steps: plan.stage })
    },
    stageVariables: plan.variablesAtCreate,
    keepLinks
  }
}
