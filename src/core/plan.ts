/**
 * Pure: (config, what exists) → the ordered steps that get there. No I/O here, so an empty
 * plan means no writes, and the plan can be logged, summarised and tested as data.
 */
import {
  DELETE_LINE_LEFT,
  Defaults,
  Inputs,
  PROXY_PATH,
  PROXY_PATH_PART,
  ROOT_PATH,
  Tags
} from '../base/constants.js'
import { describeOwner, isOurs, madeFor, ownerOf } from '../model/ownership.js'
import {
  deploymentDescription,
  desiredResources,
  type DesiredMethod,
  type DesiredResource
} from './desired.js'
import { ActionError, InputError } from '../base/errors.js'
import type { CreateConfig, DeleteConfig, Scheme } from '../config/inputs.js'
import { part as stepsPart, type Part as StepsPart } from './plan-part.js'
import {
  leaveDomain,
  planDomain,
  sweepDomains,
  type AliasTarget,
  type DomainStep
} from '../features/domain/plan.js'
import {
  cloudWatchRoleMissing,
  planApiSettings,
  planStageSettings,
  type SettingsStep
} from '../features/settings/plan.js'
import { MAX_INTEGRATION_TIMEOUT_MS } from '../features/settings/inputs.js'
import {
  planKeys,
  planKeysDelete,
  type ApiKey,
  type KeysDiscovery,
  type KeyStep
} from '../features/keys/plan.js'
import {
  NEW_VPC_LINK,
  type DomainDiscovery,
  resolveResources,
  type LinkRef,
  type LoadBalancer,
  type MethodState,
  type ResourceState,
  type RestApiSummary,
  type StageState,
  type VpcLink,
  type VpcLinkSpec,
  type VpcLinkVersion
} from '../model/model.js'

export { NEW_VPC_LINK }

/** The gateway's own steps; each feature's are beside it, and a step's handler is in the engine. */
export type GatewayStep =
  | { op: 'create-vpc-link'; link: VpcLinkSpec }
  | { op: 'wait-vpc-link'; vpcLinkId: LinkRef; version: VpcLinkVersion }
  | {
      op: 'create-api'
      name: string
      endpointType: string
      tags: Record<string, string>
      /** Binary media types, the policy, a PRIVATE API's VPC endpoints: set at creation. */
      settings?: { binaryMediaTypes: string[]; policy?: string; vpcEndpointIds: string[] }
    }
  | { op: 'set-endpoint-type'; from: string; to: string }
  | { op: 'tag-api'; tags: Record<string, string> }
  | { op: 'untag-api'; keys: string[] }
  | { op: 'adopt-api'; apiId: string; previously: string; tags: Record<string, string> }
  | { op: 'create-resource'; path: string; parentPath: string; pathPart: string }
  | { op: 'delete-method'; path: string; httpMethod: string }
  | { op: 'put-method'; path: string; method: DesiredMethod }
  | { op: 'deploy'; stage: string; newStage: boolean; tags: Record<string, string> }
  | { op: 'tag-stage'; stage: string; tags: Record<string, string> }
  | { op: 'delete-api'; apiId: string }
  | {
      op: 'delete-vpc-link'
      vpcLinkId: string
      version: VpcLinkVersion
      /**
       * Gateways that went through it when the run looked: read again once the APIs are gone, and the link
       * kept if one still does.
       */
      unlessUsedBy?: string[]
    }

export type Step = GatewayStep | DomainStep | SettingsStep | KeyStep

/** No custom domain read: what a run without one (or a test) discovers. */
const NO_DOMAINS: DomainDiscovery = { domains: new Map(), dns: new Map() }

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
  /** AWS's clock when `sameName` was listed (the listing's Date): a choice between fresh twins may yet change. */
  listedAt?: Date
  /** The owned API chosen, read in full; absent when none is owned. */
  api?: ExistingApi
  /** VPC links in the region; only read for an internal load balancer. */
  vpcLinks?: VpcLink[]
  /**
   * For links this run might remove: the other REST APIs (of this repository) whose integrations
   * go through each. A link with users is never removed.
   */
  linkUsers?: Map<string, string[]>
  /** Every REST API of this repository in the region: which gateways still exist. */
  ours?: RestApiSummary[]
  /** The custom domains (the wanted one, the one the API was served on) and their DNS records. */
  domain?: DomainDiscovery
  /** The account's CloudWatch Logs role ('' for none); read only when logs are asked for. */
  cloudWatchRole?: string
  /** Usage plans and keys; read only when `api-keys` is given or the stage's settings tag names api-keys. */
  keys?: KeysDiscovery
}

export interface CreatePlan {
  /** Whose and which gateway: how apply recognises what a lost answer made. */
  owner: string
  apiName: string
  scheme: Scheme
  steps: Step[]
  /** The API the steps act on; absent when the plan creates it. */
  apiId?: string
  /** The VPC link used (NEW_VPC_LINK when the plan creates it), absent for internet-facing. */
  vpcLinkId?: LinkRef
  /** The methods the API should have (with NEW_VPC_LINK where the link is yet to be made). */
  desired: DesiredResource[]
  /** The custom domain's target, where the domain exists already (the run that makes it learns it then). */
  domainTarget?: AliasTarget
  /** The API keys of `api-keys` that exist already (the ones made are known once made). */
  apiKeys: ApiKey[]
  /** The API settings a deployment puts live, labelled with the methods (undefined: none are set). */
  deployedSettings?: unknown
  warnings: string[]
  notes: string[]
  /** What the run says as a notice (an annotation on the workflow run). */
  notices: string[]
}

/** The oldest owned API wins, then the lowest id: every run picks the same one. */
export function chooseOwnedApi(apis: RestApiSummary[]): RestApiSummary | undefined {
  return [...apis].sort((a, b) => {
    const ta = a.createdDate?.getTime() ?? 0
    const tb = b.createdDate?.getTime() ?? 0
    return ta !== tb ? ta - tb : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  })[0]
}

/** This repository's API of this name that every run keeps: what create finds, and settles a race on. */
export function keptApi(apis: RestApiSummary[], apiName: string, owner: string): RestApiSummary | undefined {
  return chooseOwnedApi(apis.filter(a => a.name === apiName && isOurs(a.tags, owner)))
}

export function splitByOwnership(
  apis: RestApiSummary[],
  owner: string
): { owned: RestApiSummary[]; foreign: RestApiSummary[] } {
  return { owned: apis.filter(a => isOurs(a.tags, owner)), foreign: apis.filter(a => !isOurs(a.tags, owner)) }
}

/** "abc (made by this action from repository x/y), def (not made by this action)" */
function describeApis(apis: RestApiSummary[], owner: string): string {
  return apis.map(a => `${a.id} (${describeOwner(ownerOf(a.tags, owner))})`).join(', ')
}

/**
 * The API of `api-name` a create works on: this repository's (the oldest, then the lowest id), or
 * with `adopt` the one same-named API that is not. Refuses, before anything is read further or
 * written, when the name is taken by an API that is not ours and `adopt` is off. A choice between
 * APIs of ours made in the second the listing was read in is provisional: a twin of that second may
 * not be listed yet, and the create decides again once AWS's clock has passed it (create.ts).
 */
export function chooseApi(
  config: Pick<CreateConfig, 'apiName' | 'owner' | 'adopt' | 'region'>,
  sameName: RestApiSummary[]
): RestApiSummary | undefined {
  const kept = keptApi(sameName, config.apiName, config.owner)
  if (kept) return kept
  const { foreign } = splitByOwnership(sameName, config.owner)
  if (foreign.length === 0) return undefined
  if (!config.adopt) {
    throw new ActionError(
      `A REST API named "${config.apiName}" already exists in ${config.region}: ` +
        `${describeApis(foreign, config.owner)}. ` +
        `The action changes only what this repository made: choose another '${Inputs.ApiName}', ` +
        `or set '${Inputs.Adopt}: true' to take it over ` +
        "(it is tagged as this repository's and updated in place: same id, same invoke URL)"
    )
  }
  if (foreign.length > 1) {
    throw new ActionError(
      `'${Inputs.Adopt}' cannot choose: ${foreign.length} REST APIs named "${config.apiName}" ` +
        `exist in ${config.region} ` +
        `(${describeApis(foreign, config.owner)}): delete or rename all but the one to take over`
    )
  }
  return foreign[0]
}

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
function deleteLink(link: VpcLink, linkUsers: Map<string, string[]> | undefined): Step {
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
function isOrphan(l: VpcLink, owner: string, ours: RestApiSummary[]): boolean {
  return (
    isOurs(l.tags, owner) &&
    !ours.some(a => madeFor(l.tags, owner, a.name)) &&
    SETTLED_LINK.includes(l.status)
  )
}

/** Link states in which no run is still making it (a PENDING one may be a racing run's work in progress). */
const SETTLED_LINK = ['AVAILABLE', 'FAILED', 'INACTIVE']

/** The VPC links an API's integrations go through. */
export function linksUsedBy(api: Pick<ExistingApi, 'resources'> | undefined): Set<string> {
  const ids = (api?.resources ?? []).flatMap(r =>
    Object.values(r.methods).map(m => m.integration?.connectionId)
  )
  return new Set(ids.filter((id): id is string => Boolean(id)))
}

/**
 * Links of ours a create would remove, were no other gateway using them: made for this API, or
 * made by this repository and used by this API until now, but not the link it goes through.
 */
export function spareLinks(
  config: Pick<CreateConfig, 'owner' | 'apiName'>,
  found: Pick<CreateDiscovery, 'vpcLinks' | 'api' | 'ours'>,
  keep: VpcLink | undefined
): VpcLink[] {
  const used = linksUsedBy(found.api)
  return (found.vpcLinks ?? []).filter(
    l =>
      l.id !== keep?.id &&
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

/** Steps, and what a person reading the run should know about them. */
type Part = StepsPart<Step>
const part = (p: Partial<Part> = {}): Part => stepsPart<Step>(p)

/**
 * The create plan: the VPC link first (an internal load balancer), then the API, its methods
 * and the stage, then the removal of leftovers (twins, links no longer used) once it all works.
 */
export function planCreate(
  config: CreateConfig,
  found: CreateDiscovery,
  ownershipTags: Record<string, string>
): CreatePlan {
  const lb = found.loadBalancer
  const route = routeTo(config, lb)
  const who = whoseApis(config, found)
  const link = planLink(config, found, route, ownershipTags)
  const desired = desiredResources({
    dnsName: lb.dnsName,
    authorization: config.authorization,
    cors: config.cors,
    vpcLink: link.vpcLink && { id: link.vpcLink.id, version: link.vpcLink.version, targetArn: lb.arn },
    apiKeyRequired: config.settings.apiKeys.length > 0,
    timeoutMs: config.settings.integrationTimeoutMs
  })
  const existing = found.api?.summary
  const twinIds = existing ? who.owned.filter(t => t.id !== existing.id).map(t => t.id) : []
  // after the stage it maps: the domain (and the one it was served on before)
  const domain = planDomain({
    owner: config.owner,
    region: config.region,
    found: found.domain ?? NO_DOMAINS,
    apiIds: existing ? [existing.id] : [],
    twinIds,
    want: config.domain,
    endpointType: config.endpointType,
    stage: config.stage,
    apiTags: existing?.tags ?? {},
    tags: { ...config.tags, ...ownershipTags }
  })
  const apiSettings = planApiSettings(config.settings, config.endpointType, existing)
  const stageSettings = planStageSettings(config.settings, config.stage, found.api?.stage)
  if (stageSettings.needsCloudWatchRole && found.cloudWatchRole === '') {
    throw new ActionError(cloudWatchRoleMissing(config.region))
  }
  const api = planApi(
    config,
    found.api,
    who.adopting,
    desired,
    ownershipTags,
    { ...domain.apiTags, ...apiSettings.apiTag },
    apiSettings.create
  )
  const stage = planStage(
    config,
    found.api,
    api.changesMethods || apiSettings.needsDeploy,
    link.vpcLink?.id,
    desired,
    ownershipTags,
    stageSettings.stageTag,
    apiSettings.deployed
  )
  const keys = planKeys({
    owner: config.owner,
    apiName: config.apiName,
    apiId: existing?.id,
    stage: config.stage,
    settings: config.settings,
    found: found.keys,
    tags: { ...config.tags, ...ownershipTags }
  })
  const notes: string[] = [...keys.notes]
  const notices: string[] = []
  if (config.settings.integrationTimeoutMs > MAX_INTEGRATION_TIMEOUT_MS) {
    notices.push(
      `'${Inputs.IntegrationTimeout}' is ${config.settings.integrationTimeoutMs} ms, over 29 s: AWS takes it only ` +
        "where the account's integration timeout quota was raised (Service Quotas, API Gateway), and may " +
        'lower the account-level throttle quota for it'
    )
  }
  // twins left by racing or interrupted runs (one API of the name is ours to keep, the rule
  // picks it), then links of ours no longer used: before the links, as a twin may use one
  const twins: Step[] = twinIds.map(id => ({ op: 'delete-api', apiId: id }))
  const spares = spareLinks(config, found, link.chosen).map(l => deleteLink(l, found.linkUsers))
  const parts = [
    who,
    link,
    api,
    part({ steps: apiSettings.steps }),
    stage,
    part({ steps: stageSettings.steps, notes }),
    part({ steps: keys.steps }),
    part({ steps: stageSettings.after }),
    domain,
    part({ steps: [...twins, ...spares] }),
    // domains of this repository left serving nothing (not the one wanted or left here)
    sweepDomains(
      { owner: config.owner, region: config.region, found: found.domain ?? NO_DOMAINS },
      new Set([
        ...(found.ours ?? []).flatMap(a => a.tags[Tags.DomainName] ?? []),
        ...[config.domain?.name, existing?.tags[Tags.DomainName]].filter((n): n is string => Boolean(n))
      ])
    )
  ]
  return {
    owner: config.owner,
    apiName: config.apiName,
    scheme: route.scheme,
    steps: parts.flatMap(p => p.steps),
    apiId: found.api?.summary.id,
    vpcLinkId: link.vpcLink?.id,
    desired,
    domainTarget: domain.target,
    deployedSettings: apiSettings.deployed,
    apiKeys: keys.existing,
    warnings: parts.flatMap(p => p.warnings),
    notes: parts.flatMap(p => p.notes),
    notices
  }
}

/** The APIs of the name: which are ours, which one is adopted, and what to say of the others. */
function whoseApis(
  config: CreateConfig,
  found: CreateDiscovery
): Part & { owned: RestApiSummary[]; adopting?: RestApiSummary } {
  const { owned, foreign } = splitByOwnership(found.sameName, config.owner)
  // refuses a name taken by an API that is not ours (unless adopted): nothing is planned then
  const chosen = chooseApi(config, found.sameName)
  const adopting = chosen && !isOurs(chosen.tags, config.owner) ? chosen : undefined
  const others = foreign.filter(a => a !== adopting)
  const warnings: string[] = []
  if (others.length > 0)
    warnings.push(
      `Other REST APIs named "${config.apiName}" are left alone: ${describeApis(others, config.owner)}`
    )
  if (owned.length > 1) {
    warnings.push(
      `${owned.length} REST APIs named "${config.apiName}" were made by this repository ` +
        `(${owned.map(a => a.id).join(', ')}): ` +
        `keeping ${found.api?.summary.id} (the oldest, then the lowest id) and deleting the others`
    )
  }
  return { ...part({ warnings }), owned, adopting }
}

/**
 * The VPC link an internal load balancer is reached through: one to reuse (waited for if need be), or one to
 * make.
 */
function planLink(
  config: CreateConfig,
  found: CreateDiscovery,
  route: Route,
  ownershipTags: Record<string, string>
): Part & { vpcLink?: { id: LinkRef; version: VpcLinkVersion }; chosen?: VpcLink } {
  const want = route.vpcLink
  if (!want) return part()
  const lb = found.loadBalancer
  const { link, notes } = chooseLink(config, lb, want, found)
  if (link) {
    const out = { ...part({ notes }), vpcLink: { id: link.id, version: link.version }, chosen: link }
    if (!isOurs(link.tags, config.owner))
      out.notes.push(`Using VPC link ${link.id} (${link.name}), which already targets ${lb.name}`)
    if (link.status === 'INACTIVE') {
      out.warnings.push(
        `VPC link ${link.id} is INACTIVE (no traffic for 60 days): ` +
          'AWS sets it up again when requests arrive, which takes a few minutes'
      )
    } else if (link.status !== 'AVAILABLE') {
      out.steps.push({ op: 'wait-vpc-link', vpcLinkId: link.id, version: link.version })
    }
    return out
  }
  const tags = { ...config.tags, ...ownershipTags, [Tags.LoadBalancer]: lb.arn }
  const spec: VpcLinkSpec =
    want.version === 'v1'
      ? { version: 'v1', name: config.vpcLinkName, targetArn: lb.arn, tags }
      : {
          version: 'v2',
          name: config.vpcLinkName,
          subnetIds: want.subnetIds,
          securityGroupIds: want.securityGroupIds,
          tags
        }
  return {
    ...part({
      notes,
      steps: [
        { op: 'create-vpc-link', link: spec },
        { op: 'wait-vpc-link', vpcLinkId: NEW_VPC_LINK, version: want.version }
      ]
    }),
    vpcLink: { id: NEW_VPC_LINK, version: want.version }
  }
}

/**
 * The API and its methods: made whole, or (adopted first) brought to the wanted tags, endpoint type and
 * methods.
 */
function planApi(
  config: CreateConfig,
  api: ExistingApi | undefined,
  adopting: RestApiSummary | undefined,
  desired: DesiredResource[],
  ownershipTags: Record<string, string>,
  /** A new API's tags that say which custom domain serves it, and which settings the action set. */
  servedOn: Record<string, string>,
  settings: NonNullable<Extract<Step, { op: 'create-api' }>['settings']>
): Part & { changesMethods: boolean } {
  if (!api) {
    const methods: Step[] = desired.flatMap(r =>
      r.methods.map((m): Step => ({ op: 'put-method', path: r.path, method: m }))
    )
    return {
      ...part({
        steps: [
          {
            op: 'create-api',
            name: config.apiName,
            endpointType: config.endpointType,
            tags: { ...config.tags, ...ownershipTags, ...servedOn },
            settings
          },
          { op: 'create-resource', path: PROXY_PATH, parentPath: ROOT_PATH, pathPart: PROXY_PATH_PART },
          ...methods
        ]
      }),
      changesMethods: true
    }
  }
  const steps: Step[] = []
  // taken over first: from then on a re-run finds it as ours, even if this one stops half-way
  // an API a stopped delete left waiting in the account's line of deletes leaves it: it is wanted
  const queued = api.summary.tags[Tags.DeleteQueued]
  const outOfLine: Record<string, string> =
    queued !== undefined && queued !== DELETE_LINE_LEFT ? { [Tags.DeleteQueued]: DELETE_LINE_LEFT } : {}
  const changedTags = changed(
    { ...(adopting ? { ...config.tags, ...ownershipTags } : config.tags), ...outOfLine },
    api.summary.tags
  )
  if (adopting) {
    steps.push({
      op: 'adopt-api',
      apiId: adopting.id,
      previously: describeOwner(ownerOf(adopting.tags, config.owner)),
      tags: changedTags
    })
  } else if (Object.keys(changedTags).length > 0) {
    steps.push({ op: 'tag-api', tags: changedTags })
  }
  const current = api.summary.endpointTypes[0]
  if (current === 'PRIVATE' && config.endpointType === 'EDGE') {
    throw new InputError(
      Inputs.EndpointType,
      `REST API ${api.summary.id} is PRIVATE, and AWS turns a PRIVATE API into a REGIONAL one only: ` +
        'use REGIONAL (or make a new gateway under another api-name)'
    )
  }
  if (current !== config.endpointType)
    steps.push({ op: 'set-endpoint-type', from: current ?? 'EDGE', to: config.endpointType })
  const methods = diffResources(desired, api.resources)
  return { ...part({ steps: [...steps, ...methods] }), changesMethods: methods.length > 0 }
}

/**
 * The stage: deployed when the methods changed, when it is missing, or when it serves another
 * deployment than the wanted one; tagged as the gateway is (AWS allocates costs by stage tags,
 * not the API's).
 */
function planStage(
  config: CreateConfig,
  api: ExistingApi | undefined,
  changesMethods: boolean,
  link: LinkRef | undefined,
  desired: DesiredResource[],
  ownershipTags: Record<string, string>,
  /** A new stage's tag of the settings the action sets on it. */
  settingsTag: Record<string, string>,
  /** The API settings a deployment puts live, part of its label (undefined: none are set). */
  deployedSettings: unknown
): Part {
  // (a link yet to be made changes every proxied method: a deployment follows anyway)
  const description =
    link === NEW_VPC_LINK
      ? undefined
      : deploymentDescription(resolveResources(desired, undefined), deployedSettings)
  const tags = { ...config.tags, ...ownershipTags }
  const stage = api?.stage
  const steps: Step[] = []
  if (changesMethods || !stage || api.deploymentDescription !== description) {
    steps.push({ op: 'deploy', stage: config.stage, newStage: !stage, tags: { ...tags, ...settingsTag } })
  }
  const retag = stage ? changed(tags, stage.tags) : {}
  if (Object.keys(retag).length > 0) steps.push({ op: 'tag-stage', stage: config.stage, tags: retag })
  return part({ steps })
}

/** The entries of `want` that `have` lacks or holds otherwise. */
function changed(want: Record<string, string>, have: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v))
}

/** Methods we manage on the resources we manage; anything else a person added stays. */
const MANAGED_METHODS = ['ANY', 'OPTIONS']

function diffResources(desired: DesiredResource[], actual: ResourceState[]): Step[] {
  const steps: Step[] = []
  for (const want of desired) {
    const have = actual.find(r => r.path === want.path)
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
      if (MANAGED_METHODS.includes(name) && !want.methods.some(m => m.httpMethod === name)) {
        steps.push({ op: 'delete-method', path: want.path, httpMethod: name })
      }
    }
  }
  return steps
}

const orEmpty = <T extends object>(v: T | null | undefined): T | Record<string, never> => v ?? {}

function sameRecord(
  a: Record<string, unknown> | undefined | null,
  b: Record<string, unknown> | undefined | null
): boolean {
  const x = orEmpty(a)
  const y = orEmpty(b)
  const keys = new Set([...Object.keys(x), ...Object.keys(y)])
  for (const k of keys)
    if ((x as Record<string, unknown>)[k] !== (y as Record<string, unknown>)[k]) return false
  return true
}

/** Compares only what we set; AWS fills in defaults (timeouts, cache keys) we leave alone. */
export function methodMatches(actual: MethodState, want: DesiredMethod): boolean {
  if ((actual.authorizationType ?? 'NONE') !== want.authorizationType) return false
  if ((actual.apiKeyRequired ?? false) !== (want.apiKeyRequired ?? false)) return false
  if (!sameRecord(actual.requestParameters, want.requestParameters)) return false
  for (const r of want.methodResponses) {
    const got = actual.responses[r.statusCode]
    if (!got || !sameRecord(got, r.responseParameters)) return false
  }
  const i = actual.integration
  const w = want.integration
  if (!i || i.type !== w.type) return false
  if (w.type === 'HTTP_PROXY' && (i.httpMethod !== w.integrationHttpMethod || i.uri !== w.uri)) return false
  if ((i.connectionType ?? 'INTERNET') !== w.connectionType) return false
  // a link yet to be made is never the one the method goes through now
  if (w.connectionType === 'VPC_LINK' && i.connectionId !== w.connectionId) return false
  if ((i.integrationTarget ?? undefined) !== w.integrationTarget) return false
  if (!sameRecord(i.requestParameters, w.requestParameters)) return false
  if (!sameRecord(i.requestTemplates, w.requestTemplates)) return false
  if (
    w.type === 'HTTP_PROXY' &&
    (i.timeoutInMillis ?? Defaults.integrationTimeout) !== (w.timeoutInMillis ?? Defaults.integrationTimeout)
  )
    return false
  for (const r of w.responses) {
    const got = i.responses[r.statusCode]
    if (!got || !sameRecord(got, r.responseParameters)) return false
  }
  return true
}

export interface DeleteDiscovery {
  sameName: RestApiSummary[]
  vpcLinks: VpcLink[]
  /** What each API of ours to delete holds: its resources (with the links they go through) and stages. */
  contents: Map<string, { resources: ResourceState[]; stages: StageState[] }>
  /** For links delete might remove: the other REST APIs of this repository that go through each. */
  linkUsers: Map<string, string[]>
  /** Every REST API of this repository in the region: which gateways still exist. */
  ours: RestApiSummary[]
  /** The custom domains the APIs to delete are served on, and their DNS records. */
  domain?: DomainDiscovery
  /** Usage plans and keys, read when an API to delete has a stage the action set keys on. */
  keys?: KeysDiscovery
  /** Every REST API in the region as listed: the account's line of deletes is read from their tags. */
  listed?: RestApiSummary[]
}

export interface DeletePlan {
  steps: Step[]
  notes: string[]
  /**
   * What goes with an API that the action did not put there (a stage, a resource, a method added by hand).
   */
  warnings: string[]
  /** The stages each API to delete has: removed with it (the `stage` output of a delete). */
  stages: { apiId: string; name: string }[]
}

/**
 * The APIs a delete removes: this repository's of the name (with delete-on-exit, of those only the one the
 * main step made).
 */
export function apisToDelete(
  config: Pick<DeleteConfig, 'owner' | 'only'>,
  sameName: RestApiSummary[]
): RestApiSummary[] {
  return sameName.filter(
    a => isOurs(a.tags, config.owner) && (!config.only || config.only.apiIds.includes(a.id))
  )
}

/**
 * Links of ours a delete would remove, were no other gateway using them: those made for the
 * gateway (with delete-on-exit: by its step), those the APIs it deletes went through (it may be
 * the last user of a link another gateway made), and orphans of gateways already gone.
 */
export function deleteCandidates(
  config: Pick<DeleteConfig, 'owner' | 'apiName' | 'only'>,
  found: Pick<DeleteDiscovery, 'vpcLinks' | 'contents' | 'ours'>
): VpcLink[] {
  const used = new Set([...found.contents.values()].flatMap(c => [...linksUsedBy(c)]))
  const only = config.only
  return found.vpcLinks.filter(
    l =>
      isOurs(l.tags, config.owner) &&
      ((only ? only.vpcLinkIds.includes(l.id) : madeFor(l.tags, config.owner, config.apiName)) ||
        used.has(l.id) ||
        isOrphan(l, config.owner, found.ours))
  )
}

/** API first (its stages reference the link), then the VPC links of ours it leaves unused. */
export function planDelete(config: DeleteConfig, found: DeleteDiscovery): DeletePlan {
  const { foreign } = splitByOwnership(found.sameName, config.owner)
  const notes: string[] = []
  if (foreign.length > 0) {
    notes.push(`Left alone: REST API named "${config.apiName}" ${describeApis(foreign, config.owner)}`)
  }
  const going = apisToDelete(config, found.sameName)
  for (const a of found.sameName) {
    if (!going.includes(a) && !foreign.includes(a))
      notes.push(`Left alone: REST API ${a.id}, which this step did not make`)
  }
  // the APIs' custom domains first: a mapping refers to its API
  const apiIds = going.map(a => a.id)
  const servedOn = new Map(
    going.flatMap(a => {
      const name = a.tags[Tags.DomainName]
      return name ? [[name, a.tags[Tags.HostedZoneId]] as const] : []
    })
  )
  const domains = [...servedOn].map(([name, zoneId]) =>
    leaveDomain(
      {
        owner: config.owner,
        region: config.region,
        found: found.domain ?? NO_DOMAINS,
        apiIds,
        recorded: new Map(going.map(a => [a.id, a.tags[Tags.BasePath]]))
      },
      name,
      zoneId
    )
  )
  // domains of this repository left serving nothing by runs that stopped or raced: last (delete-on-exit
  // takes only what its step made)
  const sweep = config.only
    ? undefined
    : sweepDomains(
        { owner: config.owner, region: config.region, found: found.domain ?? NO_DOMAINS },
        new Set([...found.ours.flatMap(a => a.tags[Tags.DomainName] ?? [])])
      )
  notes.push(...domains.flatMap(d => d.notes), ...(sweep?.notes ?? []))
  const steps: Step[] = [
    ...domains.flatMap(d => d.steps),
    ...planKeysDelete(config.owner, config.apiName, apiIds, found.keys),
    ...going.map((a): Step => ({ op: 'delete-api', apiId: a.id }))
  ]
  for (const link of deleteCandidates(config, found)) steps.push(deleteLink(link, found.linkUsers))
  steps.push(...(sweep?.steps ?? []))
  const warnings: string[] = [...domains.flatMap(d => d.warnings), ...(sweep?.warnings ?? [])]
  const stages: DeletePlan['stages'] = []
  for (const api of going) {
    const { resources = [], stages: its = [] } = found.contents.get(api.id) ?? {}
    for (const id of linksUsedBy({ resources })) {
      const link = found.vpcLinks.find(l => l.id === id)
      if (link && !isOurs(link.tags, config.owner))
        notes.push(`VPC link ${id} is left alone: ${describeOwner(ownerOf(link.tags, config.owner))}`)
    }
    stages.push(...its.map(st => ({ apiId: api.id, name: st.name })))
    const added = [
      ...its.filter(st => !isOurs(st.tags, config.owner)).map(st => `stage ${st.name}`),
      ...handAdded(resources)
    ]
    if (added.length > 0) {
      warnings.push(
        `Deleting REST API ${api.id} also removes what this action did not put there: ${added.join(', ')}`
      )
    }
  }
  return { steps, notes, warnings, stages }
}

/** Resources and methods beyond the ones the action makes (`ANY` and `OPTIONS` on / and /{proxy+}). */
function handAdded(resources: ResourceState[]): string[] {
  return resources.flatMap(r =>
    r.path === ROOT_PATH || r.path === PROXY_PATH
      ? Object.keys(r.methods)
          .filter(m => !MANAGED_METHODS.includes(m))
          .map(m => `method ${m} ${r.path}`)
      : [`resource ${r.path}`]
  )
}

/** Removals of leftovers (twins, spare links): not part of the gateway itself. */
export function isCleanup(step: Step): boolean {
  return (
    step.op === 'delete-api' ||
    step.op === 'delete-vpc-link' ||
    ((step.op === 'delete-domain' || step.op === 'delete-dns-record') && step.sweep !== undefined)
  )
}
