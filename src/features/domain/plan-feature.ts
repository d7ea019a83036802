/**
 * The custom domain as a feature of the create plan: the domain (after the stage it maps, and the one the API
 * was served on before), and the sweep of this repository's domains left serving nothing (not the one wanted
 * or left here), after the clean-up.
 */
import { Tags } from '../../base/constants.js'
import type { FeaturePlanner } from '../../core/feature.js'
import { NO_DOMAINS } from '../../model/model.js'
import { planDomain, sweepDomains } from './plan.js'

export const planDomainFeature: FeaturePlanner = ({ config, found, existing, twinIds, tags }) => {
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
    tags
  })
  const served = new Set([
    ...(found.ours ?? []).flatMap(a => a.tags[Tags.DomainName] ?? []),
    ...[config.domain?.name, existing?.tags[Tags.DomainName]].filter((n): n is string => Boolean(n))
  ])
  const sweep = sweepDomains(
    { owner: config.owner, region: config.region, found: found.domain ?? NO_DOMAINS },
    served
  )
  return {
    parts: { last: domain, sweep },
    apiTags: domain.apiTags,
    report: { domainTarget: domain.target }
  }
}
