/**
 * Pure: the custom domain part of a plan. A gateway is served on a domain by a base path mapping;
 * the domain name, and the alias record for it in Route 53, are shared by every gateway mapped
 * onto the domain. What the action may touch: the mapping it made to its own API (its base path is
 * recorded in a tag of the API); a domain this repository made (removed once nothing is mapped onto it,
 * by the last gateway to leave it or by any later run of the repository); a record the action marked as
 * its own, while it is what the action wrote.
 */
import { DNS_OWNER_RECORD_PREFIX, Inputs, MANAGED_BY_VALUE, Outputs, Tags } from '../../base/constants.js'
import { ActionError, InputError } from '../../base/errors.js'
import type { DomainConfig, EndpointType } from '../../config/inputs.js'
import {
  dnsKey,
  type BasePathMapping,
  type CustomDomain,
  type DnsRecord,
  type DnsView,
  type DomainDiscovery,
  type DomainView
} from '../../model/model.js'
import { describeOwner, isOurs, ownerOf, tagValue } from '../../model/ownership.js'
import { joinParts, part as stepsPart, type Part as StepsPart } from '../../core/plan-part.js'

/** Where an alias record points: a domain's target and that target's hosted zone. */
export interface AliasTarget {
  dnsName: string
  zoneId: string
}

export type DomainStep =
  | {
      op: 'create-domain'
      name: string
      endpointType: EndpointType
      certificateArn: string
      tags: Record<string, string>
    }
  | { op: 'set-domain-certificate'; name: string; endpointType: string; certificateArn: string }
  /** Maps `basePath` of the domain to the plan's API. */
  | { op: 'map-base-path'; name: string; basePath: string; stage: string }
  | { op: 'set-base-path-stage'; name: string; basePath: string; stage: string }
  | { op: 'unmap-base-path'; name: string; basePath: string; restApiId: string }
  /**
   * Only if nothing is mapped onto it then (read again); `ifLast`: something else was when the run looked;
   * `sweep` (the owner): a domain that served nothing, kept if a gateway of that owner is tagged as served on it.
   */
  | { op: 'delete-domain'; name: string; ifLast?: boolean; sweep?: string }
  /**
   * The alias record and its owner mark, in one change; `target` absent: the domain this run makes.
   * `replace`: the action's record as read, deleted in the same change (absent: there is none, and one
   * made meanwhile fails the change rather than be overwritten).
   */
  | {
      op: 'upsert-dns-record'
      zoneId: string
      name: string
      target?: AliasTarget
      marker: DnsRecord
      replace?: DnsRecord
    }
  /**
   * Exactly these records, as Route 53 holds them; with `withDomain`, only if nothing is mapped onto it then
   * (`ifLast`, `sweep`: as for delete-domain).
   */
  | {
      op: 'delete-dns-record'
      zoneId: string
      name: string
      records: DnsRecord[]
      withDomain?: string
      ifLast?: boolean
      sweep?: string
    }
  /** Tags of the API that say where it is served: set before a mapping, so a run that stops finds it. */
  | { op: 'tag-api'; tags: Record<string, string> }
  /** Tags of a domain of ours: the hosted zone its record is in, learnt from a gateway that writes it. */
  | { op: 'tag-domain'; name: string; tags: Record<string, string> }
  | { op: 'untag-api'; keys: string[] }

export interface DomainPart {
  steps: DomainStep[]
  /** Tags of a new API that say where it is served: given at its creation. */
  apiTags: Record<string, string>
  warnings: string[]
  notes: string[]
  /** The domain's target where it exists already; absent when the plan makes it (or there is no domain). */
  target?: AliasTarget
}

/** The name of the TXT record that marks an alias record at `name` as the action's. */
export const markerName = (name: string): string => `${DNS_OWNER_RECORD_PREFIX}.${name}`

/**
 * The mark's value (a quoted TXT string): the action, the repository whose runs wrote the record, and
 * the region of the domain it points at (one name may have a domain in each of several regions).
 */
function markerValue(owner: string, region: string): string {
  return `"heritage=${MANAGED_BY_VALUE},repository=${tagValue(owner) ?? owner},region=${region}"`
}

export function markerRecord(owner: string, region: string, name: string): DnsRecord {
  return { name: markerName(name), type: 'TXT', ttl: 300, values: [markerValue(owner, region)] }
}

export function aliasRecord(name: string, target: AliasTarget): DnsRecord {
  return {
    name,
    type: 'A',
    values: [],
    alias: { dnsName: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: false }
  }
}

/** Where an alias record for the domain points. */
export const targetOf = (d: CustomDomain | undefined): AliasTarget | undefined =>
  d?.target && d.targetZoneId ? { dnsName: d.target.toLowerCase(), zoneId: d.targetZoneId } : undefined

const pointsAt = (r: DnsRecord, t: AliasTarget | undefined): boolean =>
  Boolean(t && r.alias && r.alias.dnsName === t.dnsName && r.alias.zoneId === t.zoneId)

/**
 * An alias `A` record as the action writes it: to the domain's target. Where the domain is not there to
 * say (gone, or about to be made anew), to the target of a REGIONAL domain in `region`
 * (`d-….execute-api.<region>.amazonaws.com`: the action's, for the domain of the name before it was made
 * anew). While the domain is there, a record to another regional target is a person's (another account's
 * domain of the name, say), as is anything else (a load balancer, a CloudFront distribution, another
 * region), whatever the mark says.
 */
function isActionAlias(r: DnsRecord, target: AliasTarget | undefined, region: string): boolean {
  if (r.type !== 'A' || !r.alias) return false
  if (target) return pointsAt(r, target)
  const regional = new RegExp(
    `^d-[a-z0-9]+\\.execute-api\\.${region.replace(/[^a-z0-9-]/g, '')}\\.amazonaws\\.com$`
  )
  return regional.test(r.alias.dnsName)
}

/** How the action records a base path in a tag: `/` for the root (AWS's "(none)" is no tag value). */
export const basePathTag = (basePath: string): string =>
  basePath === '' ? '/' : (tagValue(basePath) ?? basePath)

/**
 * Of the API's mappings on the domain it is served on, the ones the action made: the one at the recorded
 * base path. A gateway made before the base path was recorded: its only mapping there (the action kept one
 * mapping per gateway), else the one at `wanted`.
 */
function madeMappings(
  its: BasePathMapping[],
  recorded: string | undefined,
  wanted?: string
): BasePathMapping[] {
  if (recorded !== undefined) return its.filter(m => basePathTag(m.basePath) === recorded)
  return its.length === 1 ? its : its.filter(m => m.basePath === wanted)
}

/** What a record points at, for a person reading an error. */
function describeRecord(r: DnsRecord): string {
  return r.alias
    ? `${r.type} alias to ${r.alias.dnsName} (hosted zone ${r.alias.zoneId})`
    : `${r.type} ${r.values.join(' ')}`
}

export const basePathText = (p: string): string => (p === '' ? 'the root' : `base path '${p}'`)
const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

const markedOurs = (dns: DnsView, owner: string, region: string): boolean =>
  Boolean(dns.marker && dns.marker.values.length === 1 && dns.marker.values[0] === markerValue(owner, region))

interface Context {
  owner: string
  /** The API's region: a record marked for another region's domain of the name is not this run's. */
  region: string
  found: DomainDiscovery
  /** The APIs whose mappings go (a create's one API, absent when the plan makes it; a delete's APIs). */
  apiIds: string[]
  /** A create's twins of this gateway (its own, removed by the plan): their mappings make way. */
  twinIds?: string[]
  /** A delete's APIs: the base path each recorded as the action's (a mapping of them beyond it is named). */
  recorded?: Map<string, string | undefined>
}

/**
 * The records at `name` in `zoneId` the action wrote, as they are (to remove them exactly): its
 * mark, and the alias record while it is as the action writes it (isActionAlias). One a person has
 * pointed elsewhere since is theirs now: it is left, saying so, and the mark beside it goes (it marks
 * nothing of the action's, and would have a later run take the person's record for its own). Nothing
 * when the mark is not this repository's.
 */
function ownRecords(ctx: Context, zoneId: string, name: string, target: AliasTarget | undefined): Part {
  const dns = ctx.found.dns.get(dnsKey(zoneId, name))
  if (!dns) return part()
  if (!markedOurs(dns, ctx.owner, ctx.region)) {
    const alias = dns.records.find(r => r.type === 'A' && pointsAt(r, target))
    return alias
      ? part({
          notes: [
            `The alias record for ${name} in hosted zone ${zoneId} was not written by this action: left`
          ]
        })
      : part()
  }
  const a = dns.records.filter(r => r.type === 'A')
  const mine = a.filter(r => isActionAlias(r, target, ctx.region))
  return part({
    steps: [{ op: 'delete-dns-record', zoneId, name, records: [dns.marker!, ...mine] }],
    warnings: a
      .filter(r => !mine.includes(r))
      .map(
        r =>
          `The A record for ${name} in hosted zone ${zoneId} points elsewhere now (${describeRecord(r)}): ` +
          "it is no longer the action's, so it is left; only the action's owner mark beside it goes"
      )
  })
}

type Part = StepsPart<DomainStep>
const part = (p: Partial<Part> = {}): Part => stepsPart<DomainStep>(p)
const join = (parts: Part[]): Part => joinParts(parts)

/**
 * The API leaves a domain: its mappings go (with `made`, the API stays: only those the action made); then,
 * when nothing else is mapped onto it and this repository made it, the alias record the action wrote for it
 * (in `zoneId`) and the domain itself. Whether anything else is mapped is read again just before each goes,
 * so of gateways leaving one domain at once the last one out takes it along.
 */
export function leaveDomain(
  ctx: Context,
  name: string,
  zoneId: string | undefined,
  made?: (m: BasePathMapping) => boolean
): Part {
  const view: DomainView | undefined = ctx.found.domains.get(name)
  const domain = view?.domain
  // a domain gone already (removed by hand): the records the action wrote for it go too
  if (!view || !domain) return zoneId ? ownRecords(ctx, zoneId, name, undefined) : part()
  const its = view.mappings.filter(m => ctx.apiIds.includes(m.restApiId))
  const mine = made ? its.filter(made) : its
  if (!isOurs(domain.tags, ctx.owner)) {
    return part({
      warnings: mine.map(
        m =>
          `${capital(basePathText(m.basePath))} of custom domain ${name} still maps REST API ${m.restApiId}: ` +
          `the domain is ${describeOwner(ownerOf(domain.tags, ctx.owner))}, so it is left as it is`
      )
    })
  }
  const unmap: DomainStep[] = mine.map(m => ({
    op: 'unmap-base-path',
    name,
    basePath: m.basePath,
    restApiId: m.restApiId
  }))
  // a mapping of an API that goes beyond the one the action recorded: a person's, gone with the API
  const handMade = made
    ? []
    : its.filter(m => {
        const recorded = ctx.recorded?.get(m.restApiId)
        return recorded !== undefined && recorded !== basePathTag(m.basePath)
      })
  // one the action did not make, of an API that stays: left (AWS deletes no API a domain maps, so the
  // person who added it removes it before the gateway goes)
  const left = made ? its.filter(m => !made(m)) : []
  const warnings = [
    ...handMade.map(
      m =>
        `${capital(basePathText(m.basePath))} of custom domain ${name} maps REST API ${m.restApiId}, ` +
        'but the action did not make it: it goes with the API'
    ),
    ...left.map(
      m =>
        `${capital(basePathText(m.basePath))} of custom domain ${name} maps REST API ${m.restApiId}, ` +
        'but the action did not make it: it is left, and keeps the domain (remove it before the gateway goes)'
    )
  ]
  const others = view.mappings.filter(m => !mine.includes(m))
  const last = others.length === 0
  const notes = last
    ? []
    : [
        `Custom domain ${name} also serves REST API ${[...new Set(others.map(m => m.restApiId))].join(', ')}: ` +
          'it stays unless nothing is mapped onto it once this gateway has left (read again then)'
      ]
  // in the API's zone, and in the one recorded on the domain (the gateway that wrote a record there may
  // have left first, while this one kept the domain)
  const zones = [...new Set([zoneId, domain.tags[Tags.HostedZoneId]])].filter((z): z is string => Boolean(z))
  const records = join(zones.map(z => ownRecords(ctx, z, name, targetOf(domain))))
  const guarded = records.steps.map(s =>
    s.op === 'delete-dns-record' ? { ...s, withDomain: name, ...(last ? {} : { ifLast: true }) } : s
  )
  return join([
    part({ steps: unmap, warnings, notes }),
    { ...records, steps: guarded },
    part({ steps: [{ op: 'delete-domain', name, ...(last ? {} : { ifLast: true }) }] })
  ])
}

/**
 * Domains of this repository that served nothing when the run looked, and that no gateway of it is
 * tagged as served on (`claimed`): left behind by runs that stopped or raced. They go, with the record
 * in the zone they were made with; each is read again first (apply.ts), so one a run is about to map
 * stays.
 */
export function sweepDomains(ctx: Omit<Context, 'apiIds'>, claimed: Set<string>): Part {
  return join(
    (ctx.found.idle ?? [])
      .filter(name => !claimed.has(name))
      .map(name => {
        const view = ctx.found.domains.get(name)
        const domain = view?.domain
        if (!view || !domain || !isOurs(domain.tags, ctx.owner) || view.mappings.length > 0) return part()
        const zoneId = domain.tags[Tags.HostedZoneId]
        const left = leaveDomain({ ...ctx, apiIds: [] }, name, zoneId)
        return {
          ...left,
          steps: left.steps.map(s =>
            s.op === 'delete-domain' || s.op === 'delete-dns-record' ? { ...s, sweep: ctx.owner } : s
          ),
          notes: [
            `Custom domain ${name} of this repository serves nothing: it goes` +
              (zoneId
                ? ''
                : ' (it was made before the action recorded its hosted zone: an alias record for it, if any, ' +
                  'stays for you to remove)')
          ]
        }
      })
  )
}

/**
 * The domain part of a create: leave the domain (or hosted zone) the API was served on before,
 * then make or reuse the wanted one, map the API's stage, and keep the alias record.
 */
export function planDomain(
  ctx: Context & {
    want?: DomainConfig
    endpointType: EndpointType
    stage: string
    /** The API's tags as found ({} for a new API). */
    apiTags: Record<string, string>
    /** For a domain the plan makes: the user's tags and the action's. */
    tags: Record<string, string>
  }
): DomainPart {
  const had = ctx.apiTags[Tags.DomainName]
  const hadZone = ctx.apiTags[Tags.HostedZoneId]
  const hadPath = ctx.apiTags[Tags.BasePath]
  const want = ctx.want
  const apiId = ctx.apiIds[0]
  const leaving: Part[] = []
  if (had && had !== want?.name) {
    // the API stays: only the mapping the action made goes
    const its = (ctx.found.domains.get(had)?.mappings ?? []).filter(m => m.restApiId === apiId)
    const made = madeMappings(its, hadPath)
    leaving.push(leaveDomain(ctx, had, hadZone, m => made.includes(m)))
  } else if (had && hadZone && hadZone !== want?.hostedZoneId) {
    // the record serves every gateway on the domain: it goes with the zone only when no other is mapped
    const view = ctx.found.domains.get(had)
    const shared = (view?.mappings ?? []).some(m => !ctx.apiIds.includes(m.restApiId))
    leaving.push(
      shared
        ? part({
            notes: [
              `The alias record for ${had} in hosted zone ${hadZone} stays: other gateways use the domain`
            ]
          })
        : ownRecords(ctx, hadZone, had, targetOf(view?.domain))
    )
  }
  const untag = [
    ...(had && !want ? [Tags.DomainName] : []),
    ...(hadPath !== undefined && !want ? [Tags.BasePath] : []),
    ...(hadZone && !want?.hostedZoneId ? [Tags.HostedZoneId] : [])
  ]
  const left = join([...leaving, part({ steps: untag.length > 0 ? [{ op: 'untag-api', keys: untag }] : [] })])
  if (!want) return { ...left, apiTags: {} }

  if (tagValue(want.basePath) === undefined) {
    throw new InputError(
      Inputs.BasePath,
      'is too long to be recorded in a tag (256 characters, escapes included)'
    )
  }
  const apiTags: Record<string, string> = {
    [Tags.DomainName]: want.name,
    ...(want.hostedZoneId ? { [Tags.HostedZoneId]: want.hostedZoneId } : {}),
    [Tags.BasePath]: basePathTag(want.basePath)
  }
  // where the API is served is tagged before the mapping (a run that stops finds it); which mapping is
  // the action's, once it is the only one of the action's (a run that stops between finds the old one)
  const retag = Object.fromEntries(Object.entries(apiTags).filter(([k, v]) => ctx.apiTags[k] !== v))
  const { [Tags.BasePath]: retagPath, ...retagFirst } = retag
  const view = ctx.found.domains.get(want.name)
  const domain = view?.domain
  const steps: DomainStep[] =
    apiId && Object.keys(retagFirst).length > 0 ? [{ op: 'tag-api', tags: retagFirst }] : []
  if (!domain) {
    steps.push({
      op: 'create-domain',
      name: want.name,
      endpointType: ctx.endpointType,
      certificateArn: want.certificateArn,
      // the zone too: a run that finds the domain serving nothing removes the record with it
      tags: { ...ctx.tags, ...(want.hostedZoneId ? { [Tags.HostedZoneId]: want.hostedZoneId } : {}) }
    })
  } else {
    if (!isOurs(domain.tags, ctx.owner)) {
      throw new ActionError(
        `Custom domain ${want.name} already exists, ${describeOwner(ownerOf(domain.tags, ctx.owner))}: ` +
          'the action maps gateways only onto domains this repository made, and never changes another. ' +
          `Choose another '${Inputs.DomainName}', or map the gateway onto it yourself`
      )
    }
    if (domain.endpointType !== ctx.endpointType) {
      throw new ActionError(
        `Custom domain ${want.name} is ${domain.endpointType}, but '${Inputs.EndpointType}' is ` +
          `${ctx.endpointType}: a domain's endpoint type is not changed in place. Run once without ` +
          `'${Inputs.DomainName}' (the action removes the domain, when nothing else is mapped onto it), ` +
          'then again with it'
      )
    }
    if (domain.certificateArn !== want.certificateArn) {
      steps.push({
        op: 'set-domain-certificate',
        name: want.name,
        endpointType: domain.endpointType,
        certificateArn: want.certificateArn
      })
    }
    // made by a gateway without a zone: the record this one keeps must be found when the last one leaves
    if (want.hostedZoneId && !domain.tags[Tags.HostedZoneId]) {
      steps.push({ op: 'tag-domain', name: want.name, tags: { [Tags.HostedZoneId]: want.hostedZoneId } })
    }
  }
  const mappings = view?.mappings ?? []
  // the mapping the action made for this gateway (and its twins', which this plan removes) make way; a
  // mapping a person added, to this gateway or another, is not the action's
  const its = apiId ? mappings.filter(m => m.restApiId === apiId) : []
  const made =
    had === want.name
      ? madeMappings(its, hadPath, want.basePath)
      : its.filter(m => m.basePath === want.basePath)
  const twins = mappings.filter(m => (ctx.twinIds ?? []).includes(m.restApiId))
  const ours = (m: BasePathMapping): boolean => made.includes(m) || twins.includes(m)
  const stale = mappings.filter(m => ours(m) && !(m.restApiId === apiId && m.basePath === want.basePath))
  const others = mappings.filter(m => !ours(m))
  const unrecorded =
    had === want.name && hadPath === undefined
      ? its.filter(m => !made.includes(m) && m.basePath !== want.basePath)
      : []
  const at = mappings.find(m => m.basePath === want.basePath)
  if (at && at.restApiId !== apiId && !twins.includes(at)) {
    throw new ActionError(
      `${capital(basePathText(want.basePath))} of custom domain ${want.name} already serves REST API ` +
        `${at.restApiId}${at.stage ? ` (stage ${at.stage})` : ''}: choose another '${Inputs.BasePath}'`
    )
  }
  // AWS maps a domain's root only when nothing else is mapped onto it
  const rootOf = others.find(m => m.basePath === '')
  if (others.length > 0 && (want.basePath === '' || rootOf)) {
    throw new ActionError(
      `Custom domain ${want.name} ${
        rootOf
          ? `serves REST API ${rootOf.restApiId} at its root`
          : `also serves REST API ${others.map(m => m.restApiId).join(', ')}`
      }, and AWS maps a domain's root only when nothing else is mapped onto it: ` +
        `choose another '${Inputs.BasePath}'`
    )
  }
  const unmap = stale.map((m): DomainStep => ({
    op: 'unmap-base-path',
    name: want.name,
    basePath: m.basePath,
    restApiId: m.restApiId
  }))
  const mine = at && at.restApiId === apiId ? at : undefined
  // the old mappings go after the new one serves, unless a root is involved: then before (AWS allows no
  // root beside another mapping)
  const rootInvolved =
    want.basePath === '' || stale.some(m => m.basePath === '' || m.basePath === want.basePath)
  if (rootInvolved) steps.push(...unmap)
  if (!mine) {
    steps.push({ op: 'map-base-path', name: want.name, basePath: want.basePath, stage: ctx.stage })
  } else if (mine.stage !== ctx.stage) {
    steps.push({ op: 'set-base-path-stage', name: want.name, basePath: want.basePath, stage: ctx.stage })
  }
  if (!rootInvolved) steps.push(...unmap)
  if (apiId && retagPath !== undefined) steps.push({ op: 'tag-api', tags: { [Tags.BasePath]: retagPath } })
  const target = targetOf(domain)
  const dns = want.hostedZoneId ? planRecord(ctx, want, want.hostedZoneId, target) : part()
  const warnings = unrecorded.map(
    m =>
      `${capital(basePathText(m.basePath))} of custom domain ${want.name} also maps this gateway, but the ` +
      'action kept no record of making it (the gateway predates that record): it is left as it is'
  )
  const all = join([left, part({ steps, warnings }), dns])
  return { ...all, apiTags, target }
}

/**
 * The alias record in the hosted zone: written when there is none (with the mark that makes it
 * the action's), or when the action's points elsewhere; a record the action did not write is
 * never overwritten.
 */
function planRecord(ctx: Context, want: DomainConfig, zoneId: string, target: AliasTarget | undefined): Part {
  const dns = ctx.found.dns.get(dnsKey(zoneId, want.name))
  if (!dns) throw new Error(`internal error: the records of ${want.name} in ${zoneId} were not read`)
  const zone = dns.zoneName
  if (want.name !== zone && !want.name.endsWith(`.${zone}`)) {
    throw new InputError(
      Inputs.HostedZoneId,
      `${zoneId} is the hosted zone of ${zone}, which ${want.name} is not in: give the zone the domain is in`
    )
  }
  const ours = markedOurs(dns, ctx.owner, ctx.region)
  if (dns.marker && !ours) {
    throw new ActionError(
      `The alias record for ${want.name} in hosted zone ${zoneId} is marked as written from another ` +
        `repository or for another region's domain (${dns.marker.values.join(' ')}): it is left to that one`
    )
  }
  const upsert: Extract<DomainStep, { op: 'upsert-dns-record' }> = {
    op: 'upsert-dns-record',
    zoneId,
    name: want.name,
    target,
    marker: markerRecord(ctx.owner, ctx.region, want.name)
  }
  // what the name resolves to that is not the gateway's: a person's, never overwritten (an A record the
  // mark calls the action's is so only while it is as the action writes it)
  const inTheWay = dns.records.find(
    r =>
      ['A', 'AAAA', 'CNAME'].includes(r.type) &&
      !(r.type !== 'CNAME' && pointsAt(r, target)) &&
      !(ours && isActionAlias(r, target, ctx.region))
  )
  if (inTheWay) {
    throw new ActionError(
      `Hosted zone ${zoneId} already has a record for ${want.name} that points elsewhere: ` +
        `${describeRecord(inTheWay)}. The action never overwrites a record it did not write: remove it, or ` +
        `point it at the domain yourself (the '${Outputs.DomainTarget}' output)`
    )
  }
  const alias = dns.records.find(r => r.type === 'A')
  if (!alias) return part({ steps: [upsert] })
  if (pointsAt(alias, target)) {
    return part({
      notes: ours
        ? []
        : [`The alias record for ${want.name} already points at the domain (not written by this action)`]
    })
  }
  // ours, pointing at a domain made anew: replaced exactly as read (a change meanwhile fails the batch)
  return part({ steps: [{ ...upsert, replace: alias }] })
}
