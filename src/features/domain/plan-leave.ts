/**
 * Pure: a gateway leaves a custom domain. What of it goes is what the action made: the mapping it made to
 * its own API (its base path is recorded in a tag of the API), then, with the last gateway out, the alias
 * record it wrote and the domain, if this repository made it.
 */
import { Tags } from '../../base/constants.js'
import type { BasePathMapping, DomainView } from '../../model/model.js'
import { describeOwner, isOurs, ownerOf } from '../../model/ownership.js'
import { ownRecords, targetOf } from './plan-records.js'
import {
  basePathTag,
  basePathText,
  capital,
  join,
  part,
  type Context,
  type DomainStep,
  type Part
} from './plan-types.js'

/**
 * Of the API's mappings on the domain it is served on, the ones the action made: the one at the recorded
 * base path. A gateway made before the base path was recorded: its only mapping there (the action kept one
 * mapping per gateway), else the one at `wanted`.
 */
export function madeMappings(
  its: BasePathMapping[],
  recorded: string | undefined,
  wanted?: string
): BasePathMapping[] {
  if (recorded !== undefined) return its.filter(m => basePathTag(m.basePath) === recorded)
  return its.length === 1 ? its : its.filter(m => m.basePath === wanted)
}

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
