/**
 * Pure: the alias record of a custom domain in Route 53, and the TXT record beside it that marks it as the
 * action's (this repository's, for this region's domain of the name). The record is the action's while it
 * is marked so and as the action writes it; one a person has pointed elsewhere is theirs.
 */
import { Inputs, Outputs } from '../../base/constants.js'
import { ActionError, InputError } from '../../base/errors.js'
import type { DomainConfig } from '../../config/inputs.js'
import { dnsKey, type CustomDomain, type DnsRecord } from '../../model/model.js'
import { markedOurs, markerRecord } from '../../model/ownership.js'
import { part, type AliasTarget, type Context, type DomainStep, type Part } from './plan-types.js'

export { markerName, markerRecord } from '../../model/ownership.js'

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
export function isActionAlias(r: DnsRecord, target: AliasTarget | undefined, region: string): boolean {
  if (r.type !== 'A' || !r.alias) return false
  if (target) return pointsAt(r, target)
  const regional = new RegExp(
    `^d-[a-z0-9]+\\.execute-api\\.${region.replace(/[^a-z0-9-]/g, '')}\\.amazonaws\\.com$`
  )
  return regional.test(r.alias.dnsName)
}

/** What a record points at, for a person reading an error. */
function describeRecord(r: DnsRecord): string {
  return r.alias
    ? `${r.type} alias to ${r.alias.dnsName} (hosted zone ${r.alias.zoneId})`
    : `${r.type} ${r.values.join(' ')}`
}

/**
 * The records at `name` in `zoneId` the action wrote, as they are (to remove them exactly): its
 * mark, and the alias record while it is as the action writes it (isActionAlias). One a person has
 * pointed elsewhere since is theirs now: it is left, saying so, and the mark beside it goes (it marks
 * nothing of the action's, and would have a later run take the person's record for its own). Nothing
 * when the mark is not this repository's.
 */
export function ownRecords(
  ctx: Context,
  zoneId: string,
  name: string,
  target: AliasTarget | undefined
): Part {
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

/**
 * The alias record in the hosted zone: written when there is none (with the mark that makes it
 * the action's), or when the action's points elsewhere; a record the action did not write is
 * never overwritten.
 */
export function planRecord(
  ctx: Context,
  want: DomainConfig,
  zoneId: string,
  target: AliasTarget | undefined
): Part {
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
