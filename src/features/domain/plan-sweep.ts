/** Pure: the sweep of the custom domains this repository made that serve nothing. */
import { Tags } from '../../base/constants.js'
import { isOurs } from '../../model/ownership.js'
import { leaveDomain } from './plan-leave.js'
import { join, part, type Context, type Part } from './plan-types.js'

/**
 * Domains of this repository that served nothing when the run looked, and that no gateway of it is
 * tagged as served on (`claimed`): left behind by runs that stopped or raced. They go, with the record
 * in the zone they were made with; each is read again first (steps.ts), so one a run is about to map
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
