/**
 * What exists of the custom domains a run may touch: the domains with their mappings, the records at their
 * names in Route 53 with the owner mark beside them, and the domains of this repository that serve nothing
 * (to sweep).
 */
import { all } from '../../base/concurrency.js'
import { Inputs, Tags } from '../../base/constants.js'
import { AwsCallError, errorMessage, InputError, isAwsError } from '../../base/errors.js'
import type { AwsContext } from '../../aws/context.js'
import type { CreateConfig } from '../../config/inputs.js'
import {
  dnsKey,
  type CustomDomain,
  type DnsView,
  type DomainDiscovery,
  type RestApiSummary
} from '../../model/model.js'
import { isOurs, markerName } from '../../model/ownership.js'
import * as dns from './aws-dns.js'
import * as domains from './aws-domains.js'

/**
 * A create's custom domains: the wanted one (with the records at its name in the wanted hosted
 * zone) and the one the API was tagged as served on, if another (or in another zone). Nothing is
 * read without either.
 */
export function discoverDomainsOf(
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
 * A delete's custom domains: where the APIs that go are served (their mappings go first, and the domain
 * and record with the last); with `owner`, the domains of that repository serving nothing, to sweep.
 */
export function discoverDomainsOfDelete(
  ctx: AwsContext,
  going: RestApiSummary[],
  owner: string | undefined,
  listed: CustomDomain[] | undefined
): Promise<DomainDiscovery> {
  return discoverDomains(
    ctx,
    going.flatMap(a => (a.tags[Tags.DomainName] ? [a.tags[Tags.DomainName]] : [])),
    going.flatMap(a => {
      const name = a.tags[Tags.DomainName]
      const zoneId = a.tags[Tags.HostedZoneId]
      return name && zoneId ? [{ zoneId, name, wanted: false }] : []
    }),
    owner,
    undefined,
    listed
  )
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
