/** How the gateway reaches the load balancer: the route, and the VPC link it goes through. */
import { Inputs } from '../base/constants.js'
import { describeOwner, isOurs, madeFor, ownerOf } from '../model/ownership.js'
import { InputError } from '../base/errors.js'
import type { CreateConfig, Scheme } from '../config/inputs.js'
import { type LoadBalancer, type RestApiSummary, type StageState, type VpcLink } from '../model/model.js'
import type { CreateDiscovery, ExistingApi, Step } from './plan.js'

export interface Route {
  scheme: Scheme
  /** How an internal load balancer is reached; absent for internet-facing. */
  vpcLink?: { version: 'v1' } | { version: 'v2'; subnetIds: string[]; securityGroupIds: string[] }
}

/** Checks on the load balancer that must hold before anything is written, and how to reach it. */
export function routeTo(config: CreateConfig, lb: LoadBalancer): Route {
  if (config.scheme !== 'auto' && config.scheme !== lb.scheme) {
    throw new InputError(
      Inputs.Scheme,
      `says '${config.scheme}' but load balancer ${lb.name} (${lb.dnsName}) is '${lb.scheme}': ` +
        "fix the input or use 'auto'"
    )
  }
  if (lb.scheme === 'internet-facing') return { scheme: lb.scheme }
  // the input that chose the load balancer: the cluster's name found it, or it was named
  const chosenBy = config.loadBalancer.kind === 'cluster' ? Inputs.ClusterName : Inputs.LoadBalancer
  if (lb.type === 'classic') {
    throw new InputError(
      chosenBy,
      `${lb.name} is an internal Classic ELB, and no VPC link can reach one (REST VPC links reach Network ` +
        'Load Balancers, v2 links Network and Application ones): `api_load_balancer_type: nlb` in the ' +
        "cluster's configuration gives a Cortex cluster a Network Load Balancer that one can"
    )
  }
  if (lb.type !== 'network' && lb.type !== 'application') {
    throw new InputError(
      chosenBy,
      `${lb.name} is a ${lb.type} load balancer: VPC links reach Network and Application Load Balancers only`
    )
  }
  // v1 as the guide does for an NLB; v2 is the only way to an ALB
  const version =
    config.vpcLinkVersion === 'auto' ? (lb.type === 'network' ? 'v1' : 'v2') : config.vpcLinkVersion
  if (version === 'v1') {
    if (lb.type !== 'network') {
      throw new InputError(
        config.vpcLinkVersion === 'v1' ? Inputs.VpcLinkVersion : chosenBy,
        `${lb.name} is an internal application load balancer, but REST (v1) VPC links reach ` +
          `Network Load Balancers only: use '${Inputs.VpcLinkVersion}: v2' (or auto)`
      )
    }
    return { scheme: lb.scheme, vpcLink: { version } }
  }
  const subnetIds = config.subnetIds ?? lb.subnetIds
  const securityGroupIds = config.securityGroupIds ?? lb.securityGroupIds
  if (subnetIds.length === 0) {
    throw new InputError(
      Inputs.SubnetIds,
      `load balancer ${lb.name} lists no subnets: pass the subnets a v2 VPC link should use`
    )
  }
  if (securityGroupIds.length === 0) {
    throw new InputError(
      Inputs.SecurityGroupIds,
      `load balancer ${lb.name} has no security groups, and a v2 VPC link needs one: ` +
        'pass security groups that may reach the load balancer'
    )
  }
  return {
    scheme: lb.scheme,
    vpcLink: { version, subnetIds: [...subnetIds].sort(), securityGroupIds: [...securityGroupIds].sort() }
  }
}

/** Where a VPC link must lead: v1 to the NLB, v2 from these subnets and security groups. */
export type LinkTarget =
  { version: 'v1'; targetArn: string } | { version: 'v2'; subnetIds: string[]; securityGroupIds: string[] }

/**
 * A link that can carry the gateway to its load balancer: of the right kind, alive, and leading
 * there. A v2 link is only known by where it runs, so only one of ours counts.
 */
export function linkLeadsTo(l: VpcLink, target: LinkTarget, owner: string): boolean {
  if (l.version !== target.version || l.status === 'FAILED' || l.status === 'DELETING') return false
  return target.version === 'v1'
    ? l.targetArns.includes(target.targetArn)
    : isOurs(l.tags, owner) &&
        sameSet(l.subnetIds, target.subnetIds) &&
        sameSet(l.securityGroupIds, target.securityGroupIds)
}

/**
 * The VPC link a gateway goes through: the one its API already uses, then one made for it,
 * another of this repository's, then one a person made. Never one of another repository (even
 * one an adopted API went through): that repository deletes it when its own gateways are gone,
 * and nothing of ours may depend on it then.
 */
export function chooseLink(
  config: Pick<CreateConfig, 'owner' | 'apiName'>,
  lb: LoadBalancer,
  want: NonNullable<Route['vpcLink']>,
  found: Pick<CreateDiscovery, 'vpcLinks' | 'api'>
): { link?: VpcLink; notes: string[] } {
  const target: LinkTarget = want.version === 'v1' ? { version: 'v1', targetArn: lb.arn } : want
  const usable = (found.vpcLinks ?? []).filter(l => linkLeadsTo(l, target, config.owner))
  const inUse = linksUsedBy(found.api)
  const rank = (l: VpcLink): number => {
    const o = ownerOf(l.tags, config.owner)
    if (o.kind === 'other-repository') return 4
    if (inUse.has(l.id)) return 0
    if (o.kind === 'ours') return madeFor(l.tags, config.owner, config.apiName) ? 1 : 2
    return 3
  }
  const notes = usable
    .filter(l => rank(l) === 4)
    .map(
      l =>
        `VPC link ${l.id} also reaches ${lb.name} ` +
        `but is ${describeOwner(ownerOf(l.tags, config.owner))}: not shared`
    )
  const link = usable.filter(l => rank(l) < 4).sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1))[0]
  return { link, notes }
}

/**
 * Deleting a link of ours, unless (checked again after the APIs go) another gateway still goes through it.
 */
export function deleteLink(link: VpcLink, linkUsers: Map<string, string[]> | undefined): Step {
  const users = linkUsers?.get(link.id) ?? []
  return {
    op: 'delete-vpc-link',
    vpcLinkId: link.id,
    version: link.version,
    ...(users.length > 0 ? { unlessUsedBy: users } : {})
  }
}

/**
 * A link of ours whose gateway is gone (no API of this repository has the name it was made
 * for): the last gateway that went through it stopped half-way, or borrowed it and went. Removed
 * by the next run of this repository that finds no gateway going through it.
 */
export function isOrphan(l: VpcLink, owner: string, ours: RestApiSummary[]): boolean {
  return (
    isOurs(l.tags, owner) &&
    !ours.some(a => madeFor(l.tags, owner, a.name)) &&
    SETTLED_LINK.includes(l.status)
  )
}

/** Link states in which no run is still making it (a PENDING one may be a racing run's work in progress). */
const SETTLED_LINK = ['AVAILABLE', 'FAILED', 'INACTIVE']

const STAGE_VARIABLE_RE = /^\$\{stageVariables\.([A-Za-z0-9_]+)\}$/

/**
 * The VPC links an API's integrations go through: named, or named by a stage variable, as the stages given
 * (`stage`, `stages`) and their canaries set it.
 */
export function linksUsedBy(
  api: (Pick<ExistingApi, 'resources'> & { stage?: StageState; stages?: StageState[] }) | undefined
): Set<string> {
  const stages = [...(api?.stages ?? []), ...(api?.stage ? [api.stage] : [])]
  const ids = (api?.resources ?? []).flatMap(r =>
    Object.values(r.methods).flatMap(m => {
      const id = m.integration?.connectionId
      const name = id === undefined ? undefined : STAGE_VARIABLE_RE.exec(id)?.[1]
      if (name === undefined) return [id]
      return stages.flatMap(s => [s.variables?.[name], s.canary?.overrides[name]])
    })
  )
  return new Set(ids.filter((id): id is string => Boolean(id)))
}

/** Whether an API's integrations name a VPC link by a stage variable (its stages then say which). */
export function namesLinksByVariables(resources: ExistingApi['resources']): boolean {
  return resources.some(r =>
    Object.values(r.methods).some(m => STAGE_VARIABLE_RE.test(m.integration?.connectionId ?? ''))
  )
}

/**
 * Links of ours a create would remove, were no other gateway using them: made for this API, or
 * made by this repository and used by this API until now, but not the link it goes through.
 */
export function spareLinks(
  config: Pick<CreateConfig, 'owner' | 'apiName'>,
  found: Pick<CreateDiscovery, 'vpcLinks' | 'api' | 'ours'>,
  keep: (VpcLink | undefined)[]
): VpcLink[] {
  const used = linksUsedBy(found.api)
  const kept = new Set(keep.map(l => l?.id))
  return (found.vpcLinks ?? []).filter(
    l =>
      !kept.has(l.id) &&
      SETTLED_LINK.includes(l.status) &&
      (madeFor(l.tags, config.owner, config.apiName) ||
        (used.has(l.id) && isOurs(l.tags, config.owner)) ||
        isOrphan(l, config.owner, found.ours ?? []))
  )
}

/** Same members, in any order. */
export function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false
  const x = [...a].sort()
  const y = [...b].sort()
  return x.every((v, i) => v === y[i])
}
