/**
 * Pure: (config, what exists) → the ordered steps that get there. No I/O here, so an empty
 * plan means no writes, and the plan can be logged, summarised and tested as data.
 */
import type { Method } from '@aws-sdk/client-api-gateway'
import { Inputs, MANAGED_BY_VALUE, PROXY_PATH, PROXY_PATH_PART, ROOT_PATH, Tags } from './constants.js'
import { deploymentDescription, desiredResources, type DesiredMethod, type DesiredResource } from './desired.js'
import { ActionError, InputError } from './errors.js'
import type { CreateConfig, DeleteConfig, Scheme } from './inputs.js'
import type { LoadBalancer } from './aws/load-balancers.js'
import type { ResourceState, RestApiSummary, StageState } from './aws/rest-api.js'
import type { VpcLink, VpcLinkVersion } from './aws/vpc-links.js'

/** Stands for the id of a VPC link the plan creates; apply puts the real id in. */
export const NEW_VPC_LINK = '<new-vpc-link>'

export type Step =
  | { op: 'create-vpc-link'; link: VpcLinkSpec }
  | { op: 'wait-vpc-link'; vpcLinkId: string; version: VpcLinkVersion }
  | { op: 'create-api'; name: string; endpointType: string; tags: Record<string, string> }
  | { op: 'set-endpoint-type'; from: string; to: string }
  | { op: 'tag-api'; tags: Record<string, string> }
  | { op: 'create-resource'; path: string; parentPath: string; pathPart: string }
  | { op: 'delete-method'; path: string; httpMethod: string }
  | { op: 'put-method'; path: string; method: DesiredMethod }
  | { op: 'deploy'; stage: string; description: string }
  | { op: 'delete-api'; apiId: string }
  | { op: 'delete-vpc-link'; vpcLinkId: string; version: VpcLinkVersion }

/** A VPC link to make: v1 from its NLB, v2 from subnets and security groups. */
export type VpcLinkSpec =
  | { version: 'v1'; name: string; targetArn: string; tags: Record<string, string> }
  | { version: 'v2'; name: string; subnetIds: string[]; securityGroupIds: string[]; tags: Record<string, string> }

export interface ExistingApi {
  summary: RestApiSummary
  resources: ResourceState[]
  stage?: StageState
  /** Description of the deployment the stage points at. */
  deploymentDescription?: string
}

export interface CreateDiscovery {
  loadBalancer: LoadBalancer
  /** Every REST API in the region with the configured name, owned or not. */
  sameName: RestApiSummary[]
  /** The owned API chosen, read in full; absent when none is owned. */
  api?: ExistingApi
  /** VPC links in the region; only read for an internal load balancer. */
  vpcLinks?: VpcLink[]
}

export interface CreatePlan {
  scheme: Scheme
  steps: Step[]
  /** The API the steps act on; absent when the plan creates it. */
  apiId?: string
  /** The VPC link used (NEW_VPC_LINK when the plan creates it), absent for internet-facing. */
  vpcLinkId?: string
  /** The methods the API should have (with NEW_VPC_LINK where the link is yet to be made). */
  desired: DesiredResource[]
  warnings: string[]
  notes: string[]
}

export function isOwned(tags: Record<string, string> | undefined): boolean {
  return tags?.[Tags.ManagedBy] === MANAGED_BY_VALUE
}

/** The oldest owned API wins, then the lowest id: every run picks the same one. */
export function chooseOwnedApi(apis: RestApiSummary[]): RestApiSummary | undefined {
  return [...apis].sort((a, b) => {
    const ta = a.createdDate?.getTime() ?? 0
    const tb = b.createdDate?.getTime() ?? 0
    return ta !== tb ? ta - tb : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  })[0]
}

/** The owned API of this name every run keeps: what create finds, adopts, and settles a race on. */
export function keptApi(apis: RestApiSummary[], apiName: string): RestApiSummary | undefined {
  return chooseOwnedApi(apis.filter((a) => a.name === apiName && isOwned(a.tags)))
}

export function splitByOwnership(apis: RestApiSummary[]): { owned: RestApiSummary[]; foreign: RestApiSummary[] } {
  return { owned: apis.filter((a) => isOwned(a.tags)), foreign: apis.filter((a) => !isOwned(a.tags)) }
}

export interface Route {
  scheme: Scheme
  /** How an internal load balancer is reached; absent for internet-facing. */
  vpcLink?:
    | { version: 'v1' }
    | { version: 'v2'; subnetIds: string[]; securityGroupIds: string[] }
}

/** Checks on the load balancer that must hold before anything is written, and how to reach it. */
export function routeTo(config: CreateConfig, lb: LoadBalancer): Route {
  if (config.scheme !== 'auto' && config.scheme !== lb.scheme) {
    throw new InputError(
      Inputs.Scheme,
      `says '${config.scheme}' but load balancer ${lb.name} (${lb.dnsName}) is '${lb.scheme}': fix the input or use 'auto'`
    )
  }
  if (lb.scheme === 'internet-facing') return { scheme: lb.scheme }
  if (lb.type !== 'network' && lb.type !== 'application') {
    throw new InputError(Inputs.LoadBalancer, `${lb.name} is a ${lb.type} load balancer: VPC links reach Network and Application Load Balancers only`)
  }
  // v1 as the guide does for an NLB; v2 is the only way to an ALB
  const version = config.vpcLinkVersion === 'auto' ? (lb.type === 'network' ? 'v1' : 'v2') : config.vpcLinkVersion
  if (version === 'v1') {
    if (lb.type !== 'network') {
      throw new InputError(
        config.vpcLinkVersion === 'v1' ? Inputs.VpcLinkVersion : Inputs.LoadBalancer,
        `${lb.name} is an internal application load balancer, but REST (v1) VPC links reach Network Load Balancers only: use '${Inputs.VpcLinkVersion}: v2' (or auto)`
      )
    }
    return { scheme: lb.scheme, vpcLink: { version } }
  }
  const subnetIds = config.subnetIds ?? lb.subnetIds
  const securityGroupIds = config.securityGroupIds ?? lb.securityGroupIds
  if (subnetIds.length === 0) {
    throw new InputError(Inputs.SubnetIds, `load balancer ${lb.name} lists no subnets: pass the subnets a v2 VPC link should use`)
  }
  if (securityGroupIds.length === 0) {
    throw new InputError(
      Inputs.SecurityGroupIds,
      `load balancer ${lb.name} has no security groups, and a v2 VPC link needs one: pass security groups that may reach the load balancer`
    )
  }
  return { scheme: lb.scheme, vpcLink: { version, subnetIds: [...subnetIds].sort(), securityGroupIds: [...securityGroupIds].sort() } }
}

/** Same members, in any order. */
export function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false
  const x = [...a].sort()
  const y = [...b].sort()
  return x.every((v, i) => v === y[i])
}

export function planCreate(config: CreateConfig, found: CreateDiscovery, ownershipTags: Record<string, string>): CreatePlan {
  const lb = found.loadBalancer
  const route = routeTo(config, lb)
  const scheme = route.scheme
  const warnings: string[] = []
  const notes: string[] = []
  const steps: Step[] = []

  const { owned, foreign } = splitByOwnership(found.sameName)
  if (owned.length === 0 && foreign.length > 0) {
    throw new ActionError(
      `A REST API named "${config.apiName}" already exists in ${config.region} (${foreign.map((a) => a.id).join(', ')}) ` +
        `but was not created by this action (no tag ${Tags.ManagedBy}=${MANAGED_BY_VALUE}). ` +
        `The action never changes an API it did not create: choose another '${Inputs.ApiName}', or delete that API yourself`
    )
  }
  if (foreign.length > 0) {
    warnings.push(
      `Other REST APIs named "${config.apiName}" exist that this action did not create (${foreign.map((a) => a.id).join(', ')}); they are left alone`
    )
  }
  if (owned.length > 1) {
    warnings.push(
      `${owned.length} REST APIs named "${config.apiName}" were made by this action (${owned.map((a) => a.id).join(', ')}): ` +
        `keeping ${found.api?.summary.id} (the oldest, then the lowest id) and deleting the others`
    )
  }

  // Removals of leftovers, done after the gateway works.
  const cleanup: Step[] = []

  // The VPC link, for an internal load balancer.
  let vpcLink: { id: string; version: VpcLinkVersion } | undefined
  let link: VpcLink | undefined
  if (route.vpcLink) {
    const want = route.vpcLink
    const links = found.vpcLinks ?? []
    const usable = links.filter(
      (l) =>
        l.version === want.version &&
        l.status !== 'FAILED' &&
        l.status !== 'DELETING' &&
        (want.version === 'v1'
          ? l.targetArns.includes(lb.arn)
          : // a v2 link is only known by where it runs: reuse our own with the same subnets and groups
            isOwned(l.tags) && sameSet(l.subnetIds, want.subnetIds) && sameSet(l.securityGroupIds, want.securityGroupIds))
    )
    const inUse = new Set(
      (found.api?.resources ?? []).flatMap((r) => Object.values(r.methods).map((m) => m.methodIntegration?.connectionId))
    )
    // the link the API already goes through, then one made for this API, another of ours, anyone's
    const rank = (l: VpcLink): number =>
      inUse.has(l.id) ? 0 : isOwned(l.tags) ? (l.tags[Tags.ApiName] === config.apiName ? 1 : 2) : 3
    link = [...usable].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1))[0]
    const tags = { ...config.tags, ...ownershipTags, [Tags.LoadBalancer]: lb.arn }
    if (link) {
      vpcLink = { id: link.id, version: link.version }
      if (!isOwned(link.tags)) notes.push(`Using VPC link ${link.id} (${link.name}), which already targets ${lb.name}`)
      if (link.status === 'INACTIVE') {
        warnings.push(
          `VPC link ${link.id} is INACTIVE (no traffic for 60 days): AWS sets it up again when requests arrive, which takes a few minutes`
        )
      } else if (link.status !== 'AVAILABLE') {
        steps.push({ op: 'wait-vpc-link', vpcLinkId: link.id, version: link.version })
      }
    } else {
      vpcLink = { id: NEW_VPC_LINK, version: want.version }
      steps.push({
        op: 'create-vpc-link',
        link:
          want.version === 'v1'
            ? { version: 'v1', name: config.vpcLinkName, targetArn: lb.arn, tags }
            : { version: 'v2', name: config.vpcLinkName, subnetIds: want.subnetIds, securityGroupIds: want.securityGroupIds, tags }
      })
      steps.push({ op: 'wait-vpc-link', vpcLinkId: NEW_VPC_LINK, version: want.version })
    }
  }
  // Links made for this API that it does not go through (a retried create, a FAILED one, the
  // other kind after a switch, any after a move to internet-facing) are removed at the end. A
  // PENDING one may be a racing run's work in progress: left to that run.
  for (const spare of (found.vpcLinks ?? []).filter(
    (l) => l !== link && isOwned(l.tags) && l.tags[Tags.ApiName] === config.apiName && ['AVAILABLE', 'FAILED', 'INACTIVE'].includes(l.status)
  )) {
    cleanup.push({ op: 'delete-vpc-link', vpcLinkId: spare.id, version: spare.version })
  }
  const vpcLinkId = vpcLink?.id

  const desired = desiredResources({
    dnsName: lb.dnsName,
    authorization: config.authorization,
    cors: config.cors,
    vpcLink: vpcLink && { id: vpcLink.id, version: vpcLink.version, targetArn: lb.arn }
  })

  const api = found.api
  const apiSteps: Step[] = []
  if (!api) {
    steps.push({
      op: 'create-api',
      name: config.apiName,
      endpointType: config.endpointType,
      tags: { ...config.tags, ...ownershipTags }
    })
    apiSteps.push({ op: 'create-resource', path: PROXY_PATH, parentPath: ROOT_PATH, pathPart: PROXY_PATH_PART })
    for (const r of desired) for (const m of r.methods) apiSteps.push({ op: 'put-method', path: r.path, method: m })
  } else {
    const current = api.summary.endpointTypes[0]
    if (current !== config.endpointType) {
      steps.push({ op: 'set-endpoint-type', from: current ?? 'EDGE', to: config.endpointType })
    }
    const changedTags = Object.fromEntries(Object.entries(config.tags).filter(([k, v]) => api.summary.tags[k] !== v))
    if (Object.keys(changedTags).length > 0) steps.push({ op: 'tag-api', tags: changedTags })
    apiSteps.push(...diffResources(desired, api.resources))
  }
  steps.push(...apiSteps)

  const description = deploymentDescription(desired)
  if (apiSteps.length > 0 || !api?.stage || api.deploymentDescription !== description) {
    steps.push({ op: 'deploy', stage: config.stage, description })
  }
  // Twins left by racing or interrupted runs: one API of the name is ours to keep, the rule picks it.
  for (const twin of owned) if (api && twin.id !== api.summary.id) cleanup.push({ op: 'delete-api', apiId: twin.id })
  steps.push(...cleanup)
  return { scheme, steps, apiId: api?.summary.id, vpcLinkId, desired, warnings, notes }
}

/** Methods we manage on the resources we manage; anything else a person added stays. */
const MANAGED_METHODS = ['ANY', 'OPTIONS']

function diffResources(desired: DesiredResource[], actual: ResourceState[]): Step[] {
  const steps: Step[] = []
  for (const want of desired) {
    const have = actual.find((r) => r.path === want.path)
    if (!have) {
      steps.push({ op: 'create-resource', path: want.path, parentPath: ROOT_PATH, pathPart: PROXY_PATH_PART })
    }
    for (const m of want.methods) {
      const existing = have?.methods[m.httpMethod]
      if (existing && methodMatches(existing, m)) continue
      // AWS refuses PutMethod on an existing method (409): replace it whole
      if (existing) steps.push({ op: 'delete-method', path: want.path, httpMethod: m.httpMethod })
      steps.push({ op: 'put-method', path: want.path, method: m })
    }
    for (const name of Object.keys(have?.methods ?? {})) {
      if (MANAGED_METHODS.includes(name) && !want.methods.some((m) => m.httpMethod === name)) {
        steps.push({ op: 'delete-method', path: want.path, httpMethod: name })
      }
    }
  }
  return steps
}

const orEmpty = <T extends object>(v: T | null | undefined): T | Record<string, never> => v ?? {}

function sameRecord(a: Record<string, unknown> | undefined | null, b: Record<string, unknown> | undefined | null): boolean {
  const x = orEmpty(a)
  const y = orEmpty(b)
  const keys = new Set([...Object.keys(x), ...Object.keys(y)])
  for (const k of keys) if ((x as Record<string, unknown>)[k] !== (y as Record<string, unknown>)[k]) return false
  return true
}

/** Compares only what we set; AWS fills in defaults (timeouts, cache keys) we leave alone. */
export function methodMatches(actual: Method, want: DesiredMethod): boolean {
  if ((actual.authorizationType ?? 'NONE') !== want.authorizationType) return false
  if (!sameRecord(actual.requestParameters, want.requestParameters)) return false
  for (const r of want.methodResponses) {
    const got = actual.methodResponses?.[r.statusCode]
    if (!got || !sameRecord(got.responseParameters, r.responseParameters)) return false
  }
  const i = actual.methodIntegration
  const w = want.integration
  if (!i || i.type !== w.type) return false
  if (w.type === 'HTTP_PROXY' && (i.httpMethod !== w.integrationHttpMethod || i.uri !== w.uri)) return false
  if ((i.connectionType ?? 'INTERNET') !== w.connectionType) return false
  if (w.connectionType === 'VPC_LINK' && i.connectionId !== w.connectionId) return false
  if ((i.integrationTarget ?? undefined) !== w.integrationTarget) return false
  if (!sameRecord(i.requestParameters, w.requestParameters)) return false
  if (!sameRecord(i.requestTemplates, w.requestTemplates)) return false
  for (const r of w.responses) {
    const got = i.integrationResponses?.[r.statusCode]
    if (!got || !sameRecord(got.responseParameters, r.responseParameters)) return false
  }
  return true
}

export interface DeleteDiscovery {
  sameName: RestApiSummary[]
  vpcLinks: VpcLink[]
}

export interface DeletePlan {
  steps: Step[]
  notes: string[]
}

/** API first (its stages reference the link), then the VPC links made for it. */
export function planDelete(config: DeleteConfig, found: DeleteDiscovery): DeletePlan {
  const { owned, foreign } = splitByOwnership(found.sameName)
  const notes: string[] = []
  if (foreign.length > 0) {
    notes.push(
      `Left alone: REST API ${foreign.map((a) => a.id).join(', ')} named "${config.apiName}", not created by this action`
    )
  }
  const steps: Step[] = owned.map((a) => ({ op: 'delete-api', apiId: a.id }))
  for (const link of found.vpcLinks) {
    if (isOwned(link.tags) && link.tags[Tags.ApiName] === config.apiName) {
      steps.push({ op: 'delete-vpc-link', vpcLinkId: link.id, version: link.version })
    }
  }
  return { steps, notes }
}

/** Removals of leftovers (twins, spare links): not part of the gateway itself. */
export function isCleanup(step: Step): boolean {
  return step.op === 'delete-api' || step.op === 'delete-vpc-link'
}

/** One line a step, for logs and the job summary. */
export function describeStep(step: Step): string {
  switch (step.op) {
    case 'create-vpc-link':
      return step.link.version === 'v1'
        ? `create VPC link "${step.link.name}" to ${step.link.targetArn}`
        : `create VPC link v2 "${step.link.name}" in ${step.link.subnetIds.join(', ')} with ${step.link.securityGroupIds.join(', ')}`
    case 'wait-vpc-link':
      return `wait for VPC link ${step.vpcLinkId}${step.version === 'v2' ? ' (v2)' : ''} to become AVAILABLE`
    case 'create-api':
      return `create ${step.endpointType} REST API "${step.name}"`
    case 'set-endpoint-type':
      return `change endpoint type ${step.from} → ${step.to}`
    case 'tag-api':
      return `tag the API with ${Object.keys(step.tags).join(', ')}`
    case 'create-resource':
      return `create resource ${step.path}`
    case 'delete-method':
      return `delete method ${step.httpMethod} ${step.path}`
    case 'put-method':
      return `put method ${step.method.httpMethod} ${step.path}${
        step.method.authorizationType === 'NONE' ? '' : ` (${step.method.authorizationType})`
      } → ${step.method.integration.type}${
        step.method.integration.uri ? ` ${step.method.integration.uri}` : ''
      }${step.method.integration.connectionType === 'VPC_LINK' ? ` via ${step.method.integration.connectionId}` : ''}${
        step.method.integration.integrationTarget ? ` to ${step.method.integration.integrationTarget}` : ''
      }`
    case 'deploy':
      return `deploy stage "${step.stage}"`
    case 'delete-api':
      return `delete REST API ${step.apiId}`
    case 'delete-vpc-link':
      return `delete VPC link ${step.vpcLinkId}${step.version === 'v2' ? ' (v2)' : ''}`
  }
}
