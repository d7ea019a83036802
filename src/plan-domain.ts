/**
 * Pure: the custom domain part of a plan. A gateway is served on a domain by a base path mapping;
 * the domain name, and the alias record for it in Route 53, are shared by every gateway mapped
 * onto the domain. What the action may touch: the mappings to its own API; a domain this
 * repository made (removed once nothing is mapped onto it); a record the action marked as its own.
 */
import { DNS_OWNER_RECORD_PREFIX, Inputs, MANAGED_BY_VALUE, Outputs, Tags } from './constants.js'
import { ActionError, InputError } from './errors.js'
import type { DomainConfig, EndpointType } from './inputs.js'
import {
  dnsKey,
  type BasePathMapping,
  type CustomDomain,
  type DnsRecord,
  type DnsView,
  type DomainDiscovery,
  type DomainView
} from './model.js'
import { describeOwner, isOurs, ownerOf, tagValue } from './ownership.js'
import { joinParts, part as stepsPart, type Part as StepsPart } from './plan-part.js'

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
  | { op: 'delete-domain'; name: string }
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
  /** Exactly these records, as Route 53 holds them; with `withDomain`, only if nothing is mapped onto it then. */
  | { op: 'delete-dns-record'; zoneId: string; name: string; records: DnsRecord[]; withDomain?: string }
  /** Tags of the API that say where it is served: set before a mapping, so a run that stops finds it. */
  | { op: 'tag-api'; tags: Record<string, string> }
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

/** What a record points at, for a person reading an error. */
function describeRecord(r: DnsRecord): string {
  return r.alias
    ? `${r.type} alias to ${r.alias.dnsName} (hosted zone ${r.alias.zoneId})`
    : `${r.type} ${r.values.join(' ')}`
}

const basePathText = (p: string): string => (p === '' ? 'the root' : `base path '${p}'`)
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
}

/**
 * The records at `name` in `zoneId` the action wrote, as they are (to remove them exactly): its
 * mark, and the alias record where it still points at `target` (one a person has pointed
 * elsewhere since is theirs now). Nothing when the mark is not this repository's.
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
  // the mark says the action wrote the A record: it goes with it, wherever it points now
  const records = [dns.marker!, ...dns.records.filter(r => r.type === 'A')]
  return part({ steps: [{ op: 'delete-dns-record', zoneId, name, records }] })
}

type Part = StepsPart<DomainStep>
const part = (p: Partial<Part> = {}): Part => stepsPart<DomainStep>(p)
const join = (parts: Part[]): Part => joinParts(parts)

/**
 * The API leaves a domain: its mappings go; then, when nothing else is mapped onto it and this
 * repository made it, the alias record the action wrote for it (in `zoneId`) and the domain itself.
 */
export function leaveDomain(ctx: Context, name: string, zoneId: string | undefined): Part {
  const view: DomainView | undefined = ctx.found.domains.get(name)
  const domain = view?.domain
  // a domain gone already (removed by hand): the records the action wrote for it go too
  if (!view || !domain) return zoneId ? ownRecords(ctx, zoneId, name, undefined) : part()
  const mine = view.mappings.filter(m => ctx.apiIds.includes(m.restApiId))
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
  const others = view.mappings.filter(m => !ctx.apiIds.includes(m.restApiId))
  if (others.length > 0) {
    return part({
      steps: unmap,
      notes: [
        `Custom domain ${name} stays: it also serves REST API ${[...new Set(others.map(m => m.restApiId))].join(', ')}`
      ]
    })
  }
  const records = zoneId ? ownRecords(ctx, zoneId, name, targetOf(domain)) : part()
  const withDomain = records.steps.map(s => (s.op === 'delete-dns-record' ? { ...s, withDomain: name } : s))
  return join([
    part({ steps: unmap }),
    { ...records, steps: withDomain },
    part({ steps: [{ op: 'delete-domain', name }] })
  ])
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
  const want = ctx.want
  const leaving: Part[] = []
  if (had && had !== want?.name) leaving.push(leaveDomain(ctx, had, hadZone))
  else if (had && hadZone && hadZone !== want?.hostedZoneId) {
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
    ...(hadZone && !want?.hostedZoneId ? [Tags.HostedZoneId] : [])
  ]
  const left = join([...leaving, part({ steps: untag.length > 0 ? [{ op: 'untag-api', keys: untag }] : [] })])
  if (!want) return { ...left, apiTags: {} }

  const apiTags: Record<string, string> = {
    [Tags.DomainName]: want.name,
    ...(want.hostedZoneId ? { [Tags.HostedZoneId]: want.hostedZoneId } : {})
  }
  const apiId = ctx.apiIds[0]
  const retag = Object.fromEntries(Object.entries(apiTags).filter(([k, v]) => ctx.apiTags[k] !== v))
  const view = ctx.found.domains.get(want.name)
  const domain = view?.domain
  const steps: DomainStep[] = apiId && Object.keys(retag).length > 0 ? [{ op: 'tag-api', tags: retag }] : []
  if (!domain) {
    steps.push({
      op: 'create-domain',
      name: want.name,
      endpointType: ctx.endpointType,
      certificateArn: want.certificateArn,
      tags: ctx.tags
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
  }
  const mappings = view?.mappings ?? []
  // mappings of this gateway (and of its twins, which this plan removes) make way; others are not ours
  const ours = (m: BasePathMapping): boolean =>
    m.restApiId === apiId || (ctx.twinIds ?? []).includes(m.restApiId)
  const stale = mappings.filter(m => ours(m) && !(m.restApiId === apiId && m.basePath === want.basePath))
  const others = mappings.filter(m => !ours(m))
  const at = mappings.find(m => m.basePath === want.basePath)
  if (at && !ours(at)) {
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
  const target = targetOf(domain)
  const dns = want.hostedZoneId ? planRecord(ctx, want, want.hostedZoneId, target) : part()
  const all = join([left, part({ steps }), dns])
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
  // what the name resolves to that is not the gateway's: a person's, never overwritten
  const inTheWay = dns.records.find(
    r =>
      ['A', 'AAAA', 'CNAME'].includes(r.type) &&
      !(r.type !== 'CNAME' && pointsAt(r, target)) &&
      !(ours && r.type === 'A')
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

/** One line a step, for logs and the job summary. */
export function describeDomainStep(step: DomainStep): string {
  switch (step.op) {
    case 'create-domain':
      return `create ${step.endpointType} custom domain ${step.name} with certificate ${step.certificateArn}`
    case 'set-domain-certificate':
      return `change the certificate of custom domain ${step.name} to ${step.certificateArn}`
    case 'map-base-path':
      return `map ${basePathText(step.basePath)} of ${step.name} to stage "${step.stage}"`
    case 'set-base-path-stage':
      return `point ${basePathText(step.basePath)} of ${step.name} at stage "${step.stage}"`
    case 'unmap-base-path':
      return `remove ${basePathText(step.basePath)} of ${step.name} (REST API ${step.restApiId})`
    case 'delete-domain':
      return `delete custom domain ${step.name}`
    case 'upsert-dns-record':
      return `point ${step.name} at the domain's target in hosted zone ${step.zoneId} (alias A record)`
    case 'delete-dns-record':
      return (
        `delete the ${step.records.some(r => r.type === 'A') ? 'alias record' : 'owner mark'} for ${step.name} ` +
        `in hosted zone ${step.zoneId}`
      )
    case 'tag-api':
      return `tag the API with ${Object.keys(step.tags).join(', ')}`
    case 'untag-api':
      return `untag the API: ${step.keys.join(', ')}`
  }
}
