/**
 * The authorizer as a feature of the create plan: the permission and the authorizer before the methods that
 * use it, and what of the action's is no longer used once the stage serves the methods' new one.
 */
import type { CreateConfig } from '../../config/inputs.js'
import type { FeaturePlanner } from '../../core/feature.js'
import { part, type Part } from '../../core/plan-part.js'
import type { CreateDiscovery, Step } from '../../core/plan.js'
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

const REMOVALS: Step['op'][] = ['remove-lambda-permission', 'delete-authorizer']

/**
 * The removals of authorizers and statements held back while another stage of the API may still serve
 * them: one whose deployments are not all labelled `label` (what this run's stage serves once deployed;
 * undefined where not known yet, as for a new authorizer). A later run removes them once every stage has
 * moved.
 */
export function heldWhileServed(
  parts: Part<Step>[],
  found: CreateDiscovery,
  label: string | undefined
): Part<Step>[] {
  const serving = (found.otherStages ?? []).filter(s => s.labels.some(l => l === undefined || l !== label))
  if (serving.length === 0) return parts
  const held = parts.flatMap(p => p.steps).filter(s => REMOVALS.includes(s.op))
  if (held.length === 0) return parts
  const names = serving.map(s => s.stage).join(', ')
  const note =
    `Kept for now: ${held.length} removal(s) of authorizers and Lambda statements, as stage ${names} ` +
    'may still serve it (a later run removes them once every stage serves what this one does)'
  return [
    ...parts.map(p => ({ ...p, steps: p.steps.filter(s => !REMOVALS.includes(s.op)) })),
    part({ notes: [note] })
  ]
}
