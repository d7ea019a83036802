/** What exists: the reads before a plan, mapped into the model by `aws/`. */
import { all } from '../base/concurrency.js'
import { unlessNotFound } from '../aws/call.js'
import type { AwsContext } from '../aws/context.js'
import { resolveLoadBalancer } from '../aws/load-balancers.js'
import * as dns from '../features/domain/aws-dns.js'
import * as domains from '../features/domain/aws-domains.js'
import { Inputs, Tags } from '../base/constants.js'
import { AwsCallError, errorMessage, InputError, isAwsError } from '../base/errors.js'
import * as restApi from '../aws/rest-api.js'
import * as settings from '../features/settings/aws.js'
import * as keys from '../features/keys/aws.js'
import { planFor, strayPlans, type KeysDiscovery } from '../features/keys/plan.js'
import { listVpcLinks } from '../aws/vpc-links.js'
import type { CreateConfig, DeleteConfig } from '../config/inputs.js'
import {
  dnsKey,
  type CustomDomain,
  type DnsView,
  type DomainDiscovery,
  type RestApiSummary,
  type UsagePlan,
  type VpcLink
} from '../model/model.js'
import { markerName } from '../features/domain/plan.js'
import { groupsIn, needsCloudWatchRole } from '../features/settings/plan.js'
import { isOurs, madeFor } from '../model/ownership.js'
import {
  apisToDelete,
  chooseApi,
  chooseLink,
  deleteCandidates,
  linksUsedBy,
  routeTo,
  spareLinks,
  type CreateDiscovery,
  type DeleteDiscovery,
  type ExistingApi
} from '../core/plan.js'

export async function discoverCreate(ctx: AwsContext, config: CreateConfig): Promise<CreateDiscovery> {
  return ctx.log.group('Discover', async () => {
    const [loadBalancer, { apis, serverTime: listedAt }] = await all([
      resolveLoadBalancer(ctx, config.loadBalancer),
      restApi.listRestApisAt(ctx)
    ])
    const ofCluster = config.clusterName ? ` of Cortex cluster ${config.clusterName}` : ''
    ctx.log.info(
      `Load balancer${ofCluster}: ${loadBalancer.name} (${loadBalancer.type}, ${loadBalancer.scheme}) ` +
        loadBalancer.arn
    )
    // fail on a wrong scheme or load balancer before reading more
    const route = routeTo(config, loadBalancer)
    const sameName = apis.filter(a => a.name === config.apiName)
    // refuses a name taken by an API that is not ours before anything else is read or said
    const chosen = chooseApi(config, sameName)
    const logs = needsCloudWatchRole(config.settings)
    const wantAcl = config.settings.webAclArn
    const [api, listed, domain, cloudWatchRole] = await all([
      chosen ? readApi(ctx, chosen, config.stage) : Promise.resolve(undefined),
      route.vpcLink ? listVpcLinks(ctx, route.vpcLink.version) : Promise.resolve([] as VpcLink[]),
      discoverDomainsOf(ctx, config, chosen?.tags ?? {}),
      // execution logs and access logs to CloudWatch need the account's role: checked before any write
      logs ? settings.cloudWatchRole(ctx) : Promise.resolve(undefined),
      // a new gateway's web ACL must exist before anything is made (it would go live without it)
      wantAcl && !chosen ? settings.requireWebAcl(ctx, wantAcl) : Promise.resolve()
    ])
    // the stage's web ACL: read where one is wanted, or the action set one
    const stageGroups = groupsIn(api?.stage?.tags[Tags.StageSettings])
    const webAcl =
      api?.stage && (wantAcl || stageGroups.has('waf'))
        ? await settings.webAclOf(ctx, api.summary.id, config.stage)
        : undefined
    // one to associate with a gateway that is there: it exists, or nothing is changed
    if (wantAcl && chosen && webAcl !== wantAcl) await settings.requireWebAcl(ctx, wantAcl)
    // the web ACL is a setting of the stage's like the others, though GetStage does not read it
    if (api?.stage) api.stage = { ...api.stage, settings: { ...api.stage.settings, webAclArn: webAcl } }
    // links the API goes through that the list above does not hold: the other kind (a switch
    // between v1 and v2, or from internal to internet-facing), read so the old one can go
    const known = new Set(listed.map(l => l.id))
    const others = (['v1', 'v2'] as const).filter(v => v !== route.vpcLink?.version)
    const vpcLinks = [...linksUsedBy(api)].some(id => !known.has(id))
      ? [...listed, ...(await all(others.map(v => listVpcLinks(ctx, v)))).flat()]
      : listed
    ctx.log.info(
      api ? `REST API "${config.apiName}": ${api.summary.id}` : `REST API "${config.apiName}": none yet`
    )
    // links this run might remove: which other gateways of ours still go through them
    const keep = route.vpcLink
      ? chooseLink(config, loadBalancer, route.vpcLink, { vpcLinks, api }).link
      : undefined
    const ours = apis.filter(a => isOurs(a.tags, config.owner))
    const candidates = spareLinks(config, { vpcLinks, api, ours }, keep)
    const gateways = ours.filter(a => a.name !== config.apiName)
    const linkUsers = await readLinkUsers(
      ctx,
      gateways.map(a => a.id),
      new Set(candidates.map(l => l.id))
    )
    // the keys: where they are asked for, or the action set some on the stage (to remove them)
    const keys =
      config.settings.apiKeys.length > 0 || stageGroups.has('api-keys')
        ? await discoverKeys(ctx, config, api?.summary.id, apis)
        : undefined
    return {
      loadBalancer,
      sameName,
      listedAt,
      api,
      vpcLinks,
      linkUsers,
      ours,
      domain,
      cloudWatchRole,
      keys
    }
  })
}

/** Usage plans and keys, with the keys each plan of the action's holds (a key another plan holds stays). */
async function discoverKeysForDelete(
  ctx: AwsContext,
  config: DeleteConfig,
  apis: RestApiSummary[]
): Promise<KeysDiscovery> {
  // a delete needs no key's value: none is read
  const [plans, apiKeys] = await all([keys.listUsagePlans(ctx), keys.listApiKeys(ctx, false)])
  const ours = plans.filter(p => isOurs(p.tags, config.owner))
  const [attached, gone] = await all([
    all(ours.map(async p => [p.id, await keys.usagePlanKeyIds(ctx, p.id)] as const)),
    goneApis(ctx, plans, config, apis)
  ])
  return { plans, keys: apiKeys, attached: [], attachedTo: new Map(attached), gone }
}

/**
 * Usage plans and keys; the keys attached to the action's plan for the API stage, if there is one,
 * and to the gateway's plans that serve nothing (to sweep them).
 */
async function discoverKeys(
  ctx: AwsContext,
  config: CreateConfig,
  apiId: string | undefined,
  apis: RestApiSummary[]
): Promise<KeysDiscovery> {
  const { owner, apiName, stage } = config
  const [plans, listed] = await all([keys.listUsagePlans(ctx), keys.listApiKeys(ctx, true)])
  // AWS lists every key's value with it: only the action's own are kept past this point
  const apiKeys = listed.map(k => (isOurs(k.tags, owner) ? k : { ...k, value: undefined }))
  const gone = await goneApis(ctx, plans, config, apis)
  const plan = apiId ? planFor(plans, owner, apiId, stage) : undefined
  const strays = strayPlans(plans, owner, apiName, id => !gone.includes(id)).filter(p => p !== plan)
  const [attached, attachedTo] = await all([
    plan ? keys.usagePlanKeyIds(ctx, plan.id) : Promise.resolve([]),
    all(strays.map(async p => [p.id, await keys.usagePlanKeyIds(ctx, p.id)] as const))
  ])
  return { plans, keys: apiKeys, attached, attachedTo: new Map(attachedTo), gone }
}

/**
 * The APIs that plans of this repository's for the gateway serve and that are gone: not in the
 * listing, and not found when asked (one made since the listing is no stray's).
 */
async function goneApis(
  ctx: AwsContext,
  plans: UsagePlan[],
  config: { owner: string; apiName: string },
  apis: RestApiSummary[]
): Promise<string[]> {
  const listed = new Set(apis.map(a => a.id))
  const unlisted = new Set(
    plans
      .filter(p => madeFor(p.tags, config.owner, config.apiName))
      .flatMap(p => p.apiStages.map(s => s.apiId))
      .filter(id => !listed.has(id))
  )
  const found = await all([...unlisted].map(async id => ({ id, api: await restApi.getRestApi(ctx, id) })))
  return found.filter(f => !f.api).map(f => f.id)
}

/**
 * A create's custom domains: the wanted one (with the records at its name in the wanted hosted
 * zone) and the one the API was tagged as served on, if another (or in another zone). Nothing is
 * read without either.
 */
function discoverDomainsOf(
  ctx: AwsContext,
  config: CreateConfig,
  apiTags: Record<string, string>
): Promise<DomainDiscovery> {
  const want = config.domain
  const had = apiTags[Tags.DomainName]
  const hadZone = apiTags[Tags.HostedZoneId]
  const names = [want?.name, had].filter((n): n is string => Boolean(n))
  const records: { zoneId: string; name: string; wanted: boolean }[] = []
  if (want?.hostedZoneId) records.push({ zoneId: want.hostedZoneId, name: want.name, wanted: true })
  if (had && hadZone && (had !== want?.name || hadZone !== want.hostedZoneId)) {
    records.push({ zoneId: hadZone, name: had, wanted: false })
  }
  const leaving = had && had !== want?.name ? [had] : []
  return discoverDomains(ctx, names, records, config.owner, leaving)
}

/**
 * Custom domains with their mappings, and the records at names in hosted zones; with `owner`, also the
 * other domains of that repository that serve nothing (to sweep).
 */
export async function discoverDomains(
  ctx: AwsContext,
  names: string[],
  records: { zoneId: string; name: string; wanted: boolean }[],
  owner?: string,
  leaving: string[] = names,
  /** The region's domains, where listed already (beside the first reads). */
  listed?: CustomDomain[]
): Promise<DomainDiscovery> {
  const [found, idle] = await all([
    readDomains(ctx, names, records).then(f => withRecordedZones(ctx, f, leaving)),
    owner
      ? discoverIdleDomains(ctx, owner, new Set(names), listed ? Promise.resolve(listed) : undefined)
      : Promise.resolve(undefined)
  ])
  if (!idle) return found
  return {
    domains: new Map([...found.domains, ...idle.domains]),
    dns: new Map([...found.dns, ...idle.dns]),
    idle: [...idle.domains.keys()]
  }
}

/** The region's custom domains, for the sweep: none (with a warning) where the policy may not list them. */
export async function listDomainsToSweep(ctx: AwsContext): Promise<CustomDomain[]> {
  try {
    return await domains.listDomainNames(ctx)
  } catch (error) {
    // a policy from before the sweep (no apigateway:GET on /domainnames): the run goes on without it
    if (!isAwsError(error, 'AccessDeniedException')) throw error
    ctx.log.warning(
      `Could not list the custom domains (${errorMessage(error)}): a domain of this repository left ` +
        'serving nothing is not removed. Update the policy from the iam/ folder'
    )
    return []
  }
}

/**
 * The domains of this repository (by their tags) other than `skip` that nothing is mapped onto, with the
 * records at their name in the zone they were made with.
 */
async function discoverIdleDomains(
  ctx: AwsContext,
  owner: string,
  skip: Set<string>,
  listing: Promise<CustomDomain[]> = listDomainsToSweep(ctx)
): Promise<Pick<DomainDiscovery, 'domains' | 'dns'>> {
  const ours = (await listing).filter(d => isOurs(d.tags, owner) && !skip.has(d.name))
  // the sweep is housekeeping for other gateways: a domain it cannot read whole (its mappings, or the
  // records in its zone, which the policy may not reach) is left for a later run, not a failed one
  const read = await all(
    ours.map(async d => {
      try {
        // undefined: gone meanwhile (nothing to sweep)
        const mappings = await domains.getBasePathMappings(ctx, d.name)
        if (mappings?.length !== 0) return undefined
        const zoneId = d.tags[Tags.HostedZoneId]
        return { d, zone: zoneId ? await readRecords(ctx, zoneId, d.name, false) : undefined }
      } catch (error) {
        if (!(error instanceof AwsCallError)) throw error
        ctx.log.warning(
          `Custom domain ${d.name} of this repository may serve nothing, but could not be read ` +
            `(${errorMessage(error)}): it is left for a later run`
        )
        return undefined
      }
    })
  )
  const idle = read.filter(x => x !== undefined)
  return {
    domains: new Map(idle.map(({ d }) => [d.name, { name: d.name, domain: d, mappings: [] }] as const)),
    dns: new Map(idle.flatMap(({ zone }) => (zone ? [[dnsKey(zone.zoneId, zone.name), zone] as const] : [])))
  }
}

/**
 * For the domains a run leaves: the records at each name in the zone recorded on the domain when it was
 * made, where not read already. The gateway that wrote the record may have gone first while another,
 * served without `hosted-zone-id` (or in another zone), kept the domain: the last one out removes them.
 */
async function withRecordedZones(
  ctx: AwsContext,
  found: DomainDiscovery,
  leaving: string[]
): Promise<DomainDiscovery> {
  const more = leaving.flatMap(name => {
    const zoneId = found.domains.get(name)?.domain?.tags[Tags.HostedZoneId]
    return zoneId && !found.dns.has(dnsKey(zoneId, name)) ? [{ zoneId, name }] : []
  })
  if (more.length === 0) return found
  const zones = await all(more.map(r => readRecords(ctx, r.zoneId, r.name, false)))
  return {
    ...found,
    dns: new Map([...found.dns, ...zones.flatMap(z => (z ? [[dnsKey(z.zoneId, z.name), z] as const] : []))])
  }
}

/** Custom domains with their mappings, and the records at names in hosted zones. */
async function readDomains(
  ctx: AwsContext,
  names: string[],
  records: { zoneId: string; name: string; wanted: boolean }[]
): Promise<DomainDiscovery> {
  const [views, zones] = await all([
    all(
      [...new Set(names)].map(async name => {
        const [domain, mappings] = await all([
          domains.getDomainName(ctx, name),
          domains.getBasePathMappings(ctx, name)
        ])
        return [name, { name, domain, mappings: mappings ?? [] }] as const
      })
    ),
    all(records.map(r => readRecords(ctx, r.zoneId, r.name, r.wanted)))
  ])
  return {
    domains: new Map(views),
    dns: new Map(zones.flatMap(z => (z ? [[dnsKey(z.zoneId, z.name), z] as const] : [])))
  }
}

/**
 * The records at `name` and its owner mark. A wanted zone that does not exist is the input's
 * fault; a zone the API was tagged with that is gone holds nothing to remove.
 */
async function readRecords(
  ctx: AwsContext,
  zoneId: string,
  name: string,
  wanted: boolean
): Promise<DnsView | undefined> {
  try {
    const [zoneName, records, marks] = await all([
      wanted ? dns.hostedZoneName(ctx, zoneId) : Promise.resolve(''),
      dns.recordsAt(ctx, zoneId, name),
      dns.recordsAt(ctx, zoneId, markerName(name))
    ])
    return { zoneId, zoneName, name, records, marker: marks.find(r => r.type === 'TXT') }
  } catch (error) {
    if (!isAwsError(error, 'NoSuchHostedZone')) throw error
    if (!wanted) return undefined
    throw new InputError(Inputs.HostedZoneId, `there is no hosted zone ${zoneId} in this AWS account`)
  }
}

export async function discoverDelete(ctx: AwsContext, config: DeleteConfig): Promise<DeleteDiscovery> {
  return ctx.log.group('Discover', async () => {
    // the region's domains, for the sweep, beside the first reads (not with delete-on-exit: it takes only
    // what its step made)
    const [apis, v1, v2, listedDomains] = await all([
      restApi.listRestApis(ctx),
      listVpcLinks(ctx, 'v1'),
      listVpcLinks(ctx, 'v2'),
      config.only ? Promise.resolve(undefined) : listDomainsToSweep(ctx)
    ])
    const sameName = apis.filter(a => a.name === config.apiName)
    const vpcLinks = [...v1, ...v2]
    // the links each API to delete goes through: the last gateway to go takes its link along
    const going = apisToDelete(config, sameName)
    const contents = new Map(
      await all(
        going.map(async a => {
          const [resources, stages] = await all([
            restApi.getResources(ctx, a.id),
            restApi.getStages(ctx, a.id)
          ])
          return [a.id, { resources, stages }] as const
        })
      )
    )
    const ours = apis.filter(a => isOurs(a.tags, config.owner))
    const candidates = deleteCandidates(config, { vpcLinks, contents, ours })
    const others = ours.filter(a => !going.includes(a))
    const [linkUsers, domain] = await all([
      readLinkUsers(
        ctx,
        others.map(a => a.id),
        new Set(candidates.map(l => l.id))
      ),
      // where the APIs are served: their mappings go first, and the domain and record with the last
      discoverDomains(
        ctx,
        going.flatMap(a => (a.tags[Tags.DomainName] ? [a.tags[Tags.DomainName]] : [])),
        going.flatMap(a => {
          const name = a.tags[Tags.DomainName]
          const zoneId = a.tags[Tags.HostedZoneId]
          return name && zoneId ? [{ zoneId, name, wanted: false }] : []
        }),
        // domains of ours serving nothing, to sweep
        config.only ? undefined : config.owner,
        undefined,
        listedDomains
      )
    ])
    // usage plans and keys, where the action set keys on a stage of an API that goes
    const withKeys = [...contents.values()].some(c =>
      c.stages.some(st => groupsIn(st.tags[Tags.StageSettings]).has('api-keys'))
    )
    const found = withKeys ? await discoverKeysForDelete(ctx, config, apis) : undefined
    return { sameName, vpcLinks, contents, linkUsers, ours, domain, keys: found, listed: apis }
  })
}

/**
 * For each of `linkIds`, the APIs among `apiIds` whose integrations go through it (one read per
 * API, none without links). An API gone meanwhile goes through nothing.
 */
export async function readLinkUsers(
  ctx: AwsContext,
  apiIds: string[],
  linkIds: Set<string>
): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>()
  if (linkIds.size === 0 || apiIds.length === 0) return users
  const used = await all(
    apiIds.map(async id => ({
      id,
      links: linksUsedBy({ resources: (await unlessNotFound(restApi.getResources(ctx, id))) ?? [] })
    }))
  )
  for (const { id, links } of used) {
    for (const link of links) if (linkIds.has(link)) users.set(link, [...(users.get(link) ?? []), id])
  }
  return users
}

async function readApi(ctx: AwsContext, summary: RestApiSummary, stageName: string): Promise<ExistingApi> {
  const [resources, stage] = await all([
    restApi.getResources(ctx, summary.id),
    restApi.getStage(ctx, summary.id, stageName)
  ])
  const deploymentDescription = stage?.deploymentId
    ? await restApi.getDeploymentDescription(ctx, summary.id, stage.deploymentId)
    : undefined
  return { summary, resources, stage, deploymentDescription }
}
