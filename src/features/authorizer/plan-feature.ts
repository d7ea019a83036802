/**
 * The authorizer as a feature of the create plan: the permission and the authorizer before the methods that
 * use it, and what of the action's is no longer used once the stage serves the methods' new one.
 */
import type { CreateConfig } from '../../config/inputs.js'
import type { FeaturePlanner } from '../../core/feature.js'
import { part } from '../../core/plan-part.js'
import type { CreateDiscovery } from '../../core/plan.js'
import { accountOf, authorizerSpec, planAuthorizer, type AuthorizerPart } from './plan.js'

/** The authorizer's part of a plan, from what the run found (the API's authorizers and methods). */
export function authorizerPartOf(config: CreateConfig, found: CreateDiscovery): AuthorizerPart {
  const want = config.authorizer
  return planAuthorizer({
    want,
    region: config.region,
    // the API's account: the load balancer's (DescribeLoadBalancers lists the caller's own only)
    account:
      accountOf(found.loadBalancer.arn) ??
      (want?.kind === 'lambda' ? accountOf(want.functionArn) : undefined) ??
      '',
    apiId: found.api?.summary.id,
    found: found.api ? (found.authorizers ?? []) : [],
    resources: found.api?.resources ?? []
  })
}

export const planAuthorizerFeature: FeaturePlanner = ({ config, found }) => {
  const p = authorizerPartOf(config, found)
  const want = config.authorizer
  return {
    parts: { methods: part({ steps: p.before, notes: p.notes }), stage: part({ steps: p.after }) },
    // an authorizer made or changed takes effect once deployed
    needsDeploy: p.before.some(s => s.op !== 'add-lambda-permission'),
    deployed: want
      ? {
          authorizer: authorizerSpec(want, config.region),
          ...(want.kind === 'cognito' ? { scopes: want.scopes } : {})
        }
      : undefined
  }
}
