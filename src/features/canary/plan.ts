/**
 * The stage's backend: the stage variables that name the cluster its integrations reach, and a stage canary
 * that sends a share of its requests to a new cluster by overriding them. Pure: what exists → steps.
 */
import { StageVariables } from '../../core/desired.js'
import { Inputs } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import type { Route } from '../../core/links.js'
import type { LinkRef, LoadBalancer, StageState, VpcLinkSpec } from '../../model/model.js'

/** Stands for the canary's VPC link a plan makes, until apply knows its id. */
export const NEW_CANARY_LINK: unique symbol = Symbol('new canary VPC link')
/** A VPC link's id, the gateway's new link, or the canary's new link. */
export type BackendRef = LinkRef | typeof NEW_CANARY_LINK
/** Stage variables, by name; a VPC link the plan makes stands for its id. */
export type Variables = Record<string, BackendRef>

/** A cluster as the stage names it: its load balancer's DNS name and, when internal, the VPC link to it. */
export interface Backend {
  host: string
  vpcLink?: BackendRef
}

export type CanaryStep =
  | { op: 'set-stage-variables'; stage: string; set: Variables; remove: string[]; host: string }
  | {
      op: 'create-canary'
      stage: string
      percent: number
      overrides: Variables
      host: string
      current: string
    }
  | {
      op: 'update-canary'
      stage: string
      /** Absent: the share stays `share`. */
      percent?: number
      share: number
      set: Variables
      remove: string[]
      host: string
      current: string
    }
  | { op: 'promote-canary'; stage: string; host: string }
  | { op: 'remove-canary'; stage: string; current: string }
  | { op: 'create-canary-vpc-link'; link: VpcLinkSpec }

/** The stage variables that name a backend. */
export function variablesOf(b: Backend): Variables {
  return {
    [StageVariables.Host]: b.host,
    ...(b.vpcLink !== undefined ? { [StageVariables.VpcLink]: b.vpcLink } : {})
  }
}

/** What of `want` `have` lacks or holds otherwise, and which of the action's variables `have` holds in vain. */
export function diffVariables(
  want: Variables,
  have: Record<string, string>
): { set: Variables; remove: string[] } {
  const set = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v))
  const ours: string[] = Object.values(StageVariables)
  const remove = ours.filter(k => !(k in want) && have[k] !== undefined)
  return { set, remove }
}

const same = (want: Variables, have: Record<string, string>): boolean => {
  const d = diffVariables(want, have)
  return Object.keys(d.set).length === 0 && d.remove.length === 0
}

export interface CanaryPlanInput {
  stageName: string
  /** The stage as it is; absent for a new one. */
  stage?: StageState
  /** The cluster the stage serves (`load-balancer`). */
  current: Backend
  /** The new cluster and its share (the canary inputs); absent without. */
  canary?: { backend: Backend; percent: number; input?: string }
}

export interface CanaryPlan {
  /** Before the deployment: the stage's variables, the canary's changes, its promotion or removal. */
  api: CanaryStep[]
  /** Once the stage is deployed: a new canary. */
  stage: CanaryStep[]
  /** What a new stage is made with. */
  variablesAtCreate?: Variables
  notes: string[]
}

/** The steps that bring the stage's variables and its canary to what the inputs say. */
export function planCanary(input: CanaryPlanInput): CanaryPlan {
  const { stageName: stage, current, canary } = input
  const want = variablesOf(current)
  const api: CanaryStep[] = []
  const notes: string[] = []
  const had = input.stage
  const c = had?.canary
  const ours = c !== undefined && StageVariables.Host in c.overrides
  if (!had) {
    const made: CanaryStep[] = canary ? [create(stage, canary, current.host)] : []
    return { api, stage: made, variablesAtCreate: want, notes }
  }
  const have = had.variables ?? {}
  if (c && ours && !canary && same(want, c.overrides) && !same(want, have)) {
    // the canary's cluster is now the stage's: promoted as AWS does, its variables and deployment copied
    api.push({ op: 'promote-canary', stage, host: current.host })
    api.push({ op: 'remove-canary', stage, current: current.host })
    return { api, stage: [], notes }
  }
  const vars = diffVariables(want, have)
  if (Object.keys(vars.set).length > 0 || vars.remove.length > 0)
    api.push({ op: 'set-stage-variables', stage, ...vars, host: current.host })
  if (!canary) {
    if (c && ours) api.push({ op: 'remove-canary', stage, current: current.host })
    else if (c) notes.push(`Stage "${stage}" has a canary the action did not make: left as it is`)
    return { api, stage: [], notes }
  }
  if (!c) return { api, stage: [create(stage, canary, current.host)], notes }
  if (!ours)
    throw new InputError(
      canary.input ?? Inputs.CanaryLoadBalancer,
      `stage "${stage}" has a canary the action did not make (${c.percent} % of its requests): remove it, or ` +
        'give the new cluster another stage'
    )
  const overrides = diffVariables(variablesOf(canary.backend), c.overrides)
  const percent = c.percent !== canary.percent ? canary.percent : undefined
  if (percent !== undefined || Object.keys(overrides.set).length > 0 || overrides.remove.length > 0) {
    api.push({
      op: 'update-canary',
      stage,
      ...(percent !== undefined ? { percent } : {}),
      share: canary.percent,
      ...overrides,
      host: canary.backend.host,
      current: current.host
    })
  }
  return { api, stage: [], notes }
}

function create(stage: string, canary: NonNullable<CanaryPlanInput['canary']>, current: string): CanaryStep {
  return {
    op: 'create-canary',
    stage,
    percent: canary.percent,
    overrides: variablesOf(canary.backend),
    host: canary.backend.host,
    current
  }
}

/**
 * What must hold of the canary's load balancer before anything is written: a new cluster's, reached the way
 * the stage reaches its own (one integration serves both: its connection type and a v2 link's target are no
 * stage variables).
 */
export function checkCanary(input: string, current: LoadBalancer, route: Route, canary: LoadBalancer): void {
  if (canary.arn === current.arn) {
    throw new InputError(
      input,
      `is ${canary.name} (${canary.dnsName}), the load balancer the stage already serves: ` +
        "name the new cluster's API load balancer"
    )
  }
  if (canary.scheme !== current.scheme) {
    throw new InputError(
      input,
      `${canary.name} is ${canary.scheme} but the stage's load balancer ${current.name} is ${current.scheme}: ` +
        'a canary reaches its cluster through the same integrations, whose connection type no stage ' +
        'variable can change'
    )
  }
  if (route.vpcLink?.version === 'v2') {
    throw new InputError(
      input,
      `the stage reaches ${current.name} through a VPC link v2, whose integrations name their load ` +
        "balancer in 'integrationTarget', which AWS takes no stage variable for (only the link's id): no " +
        'canary can send a share to another load balancer that way; use v1 links to Network Load Balancers'
    )
  }
  if (canary.scheme === 'internal' && canary.type !== 'network') {
    throw new InputError(
      input,
      `${canary.name} is an internal ${canary.type} load balancer: only a VPC link v2 reaches one, and a v2 ` +
        "integration names its load balancer in 'integrationTarget', which AWS takes no stage variable " +
        'for: give the new cluster a Network Load Balancer'
    )
  }
}
