/** The create plan: from what exists to the gateway the inputs describe, in order. */
import { DELETE_LINE_LEFT, Inputs, PROXY_PATH, PROXY_PATH_PART, ROOT_PATH, Tags } from '../base/constants.js'
import { describeOwner, isOurs, ownerOf } from '../model/ownership.js'
import {
  byStageVariables,
  deploymentDescription,
  desiredResources,
  type DesiredInput,
  type DesiredResource
} from './desired.js'
import { InputError } from '../base/errors.js'
import type { CreateConfig } from '../config/inputs.js'
import { part as stepsPart, type Part as StepsPart } from './plan-part.js'
import { MAX_INTEGRATION_TIMEOUT_MS } from '../features/settings/inputs.js'
import {
  NEW_VPC_LINK,
  resolveResources,
  usesNewAuthorizer,
  type LinkRef,
  type RestApiSummary,
  type VpcLink,
  type VpcLinkSpec,
  type VpcLinkVersion
} from '../model/model.js'
import type { CreateDiscovery, CreatePlan, ExistingApi, Step } from './plan.js'
import { chooseApi, describeApis, splitByOwnership } from './choose-api.js'
import { chooseLink, routeTo, spareLinks, deleteLink, type Route } from './links.js'
import { diffResources } from './diff.js'
import type { ApiAtCreate, Phase } from './feature.js'
import type { Backend, Variables } from '../features/canary/plan.js'
import { FEATURES } from './features.js'
import { authorizerPartOf, heldWhileServed } from '../features/authorizer/plan-feature.js'

/** The steps on the API's resources and methods (after the API itself, and what they refer to). */
const METHOD_OPS: readonly Step['op'][] = ['create-resource', 'delete-method', 'put-method']

/** Steps, and what a person reading the run should know about them. */
type Part = StepsPart<Step>
const part = (p: Partial<Part> = {}): Part => stepsPart<Step>(p)

/**
 * The create plan: the VPC link first (an internal load balancer), then the API, its methods
 * and the stage, the features' steps by phase, then the removal of leftovers (twins, links no longer
 * used) once it all works.
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
  const authorizer = authorizerPartOf(config, found).use
  const { desired, backend } = wantedMethods(config, lb, link.vpcLink, authorizer)
  const existing = found.api?.summary
  const twinIds = existing ? who.owned.filter(t => t.id !== existing.id).map(t => t.id) : []
  const tags = { ...config.tags, ...ownershipTags }
  const features = FEATURES.map(plan => plan({ config, found, tags, existing, twinIds, backend }))
  const merged = (k: 'apiTags' | 'stageTags'): Record<string, string> =>
    features.reduce<Record<string, string>>((all, f) => ({ ...all, ...f[k] }), {})
  // one feature's alone as it always was (a gateway's label stays the same), several together
  const deployedAll = features.map(f => f.deployed).filter(d => d !== undefined)
  const deployed = deployedAll.length > 1 ? deployedAll : deployedAll[0]
  const atCreate = features.reduce<ApiAtCreate>((all, f) => ({ ...all, ...f.atCreate }), {
    binaryMediaTypes: [],
    vpcEndpointIds: []
  })
  const api = planApi(config, found.api, who.adopting, desired, ownershipTags, merged('apiTags'), atCreate)
  const stage = planStage(
    config,
    found.api,
    api.changesMethods || features.some(f => f.needsDeploy),
    link.vpcLink?.id,
    desired,
    ownershipTags,
    merged('stageTags'),
    deployed,
    {
      variables: features.find(f => f.stageVariables)?.stageVariables,
      // the canary serves what the stage does, unless it goes in this run
      canaryFollows: Boolean(found.api?.stage?.canary) && config.canary !== undefined
    }
  )
  const phase = (p: Phase): Part[] => features.flatMap(f => f.parts[p] ?? [])
  // AWS takes no type but PRIVATE while VPC endpoints remain: leaving PRIVATE, the type changes once the
  // features' API changes (which take the endpoints off) are made
  const leaving = api.steps.filter(s => s.op === 'set-endpoint-type' && s.from === 'PRIVATE')
  // what the methods refer to (an authorizer) is made once the API exists, before them
  const first = api.steps.findIndex(s => METHOD_OPS.includes(s.op))
  const cut = first < 0 ? api.steps.length : first
  const parts = [
    who,
    link,
    { ...api, steps: api.steps.slice(0, cut).filter(s => !leaving.includes(s)) },
    ...phase('methods'),
    part({ steps: api.steps.slice(cut).filter(s => !leaving.includes(s)) }),
    ...phase('api'),
    part({ steps: leaving }),
    stage,
    ...heldWhileServed(phase('stage'), found, stageLabel(link.vpcLink?.id, desired, deployed)),
    ...phase('settle'),
    ...phase('last'),
    cleanup(config, found, twinIds, [link.chosen, ...features.flatMap(f => f.keepLinks ?? [])]),
    ...phase('sweep')
  ]
  return {
    owner: config.owner,
    apiName: config.apiName,
    scheme: route.scheme,
    steps: parts.flatMap(p => p.steps),
    apiId: found.api?.summary.id,
    vpcLinkId: link.vpcLink?.id,
    desired,
    domainTarget: features.find(f => f.report?.domainTarget)?.report?.domainTarget,
    deployedSettings: deployed,
    apiKeys: features.flatMap(f => f.report?.apiKeys ?? []),
    authorizerId: authorizer?.authorizerId,
    warnings: parts.flatMap(p => p.warnings),
    notes: parts.flatMap(p => p.notes),
    notices: timeoutNotices(config)
  }
}

/** The label of the deployment this run's stage serves; undefined where not known yet (what is yet made). */
function stageLabel(
  link: LinkRef | undefined,
  desired: DesiredResource[],
  deployed: unknown
): string | undefined {
  // (a link yet to be made changes every proxied method: a deployment follows anyway)
  return link === NEW_VPC_LINK || usesNewAuthorizer(desired)
    ? undefined
    : deploymentDescription(resolveResources(desired, undefined), deployed)
}

/**
 * The methods wanted, and the cluster they reach by stage variables (not through a v2 link, whose target is
 * literal: undefined then).
 */
function wantedMethods(
  config: CreateConfig,
  lb: CreateDiscovery['loadBalancer'],
  link: { id: LinkRef; version: VpcLinkVersion } | undefined,
  authorizer: DesiredInput['authorizer']
): { desired: DesiredResource[]; backend?: Backend } {
  const vpcLink: DesiredInput['vpcLink'] = link && { id: link.id, version: link.version, targetArn: lb.arn }
  const desired = desiredResources({
    dnsName: lb.dnsName,
    authorization: config.authorization,
    cors: config.cors,
    vpcLink,
    apiKeyRequired: config.settings.apiKeys.length > 0,
    timeoutMs: config.settings.integrationTimeoutMs,
    streaming: config.settings.responseStreaming,
    corsOrigins: config.settings.corsAllowOrigins,
    authorizer
  })
  if (!byStageVariables({ vpcLink })) return { desired }
  return { desired, backend: { host: lb.dnsName, ...(vpcLink ? { vpcLink: vpcLink.id } : {}) } }
}

/** What to say of an integration timeout over 29 s: AWS takes it only where the quota was raised. */
function timeoutNotices(config: CreateConfig): string[] {
  // a streamed response may take up to 15 minutes without a raised quota
  if (config.settings.integrationTimeoutMs <= MAX_INTEGRATION_TIMEOUT_MS || config.settings.responseStreaming)
    return []
  return [
    `'${Inputs.IntegrationTimeout}' is ${config.settings.integrationTimeoutMs} ms, over 29 s: AWS takes it only ` +
      "where the account's integration timeout quota was raised (Service Quotas, API Gateway), and may " +
      'lower the account-level throttle quota for it'
  ]
}

/**
 * Once the gateway works: twins left by racing or interrupted runs (one API of the name is ours to keep, the
 * rule picks it), then links of ours no longer used (before the links, as a twin may use one).
 */
function cleanup(
  config: CreateConfig,
  found: CreateDiscovery,
  twinIds: string[],
  keep: (VpcLink | undefined)[]
): Part {
  const twins: Step[] = twinIds.map(id => ({ op: 'delete-api', apiId: id }))
  const spares = spareLinks(config, found, keep).map(l => deleteLink(l, found.linkUsers))
  return part({ steps: [...twins, ...spares] })
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
  deployedSettings: unknown,
  /** A new stage's variables; whether the stage's canary follows a new deployment. */
  backend: { variables?: Variables; canaryFollows: boolean }
): Part {
  const description = stageLabel(link, desired, deployedSettings)
  const tags = { ...config.tags, ...ownershipTags }
  const stage = api?.stage
  const steps: Step[] = []
  if (changesMethods || !stage || api.deploymentDescription !== description) {
    steps.push({
      op: 'deploy',
      stage: config.stage,
      newStage: !stage,
      tags: { ...tags, ...settingsTag },
      ...(!stage && backend.variables ? { variables: backend.variables } : {}),
      ...(stage && backend.canaryFollows ? { canaryFollows: true } : {})
    })
  }
  const retag = stage ? changed(tags, stage.tags) : {}
  if (Object.keys(retag).length > 0) steps.push({ op: 'tag-stage', stage: config.stage, tags: retag })
  return part({ steps })
}

/** The entries of `want` that `have` lacks or holds otherwise. */
function changed(want: Record<string, string>, have: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v))
}
