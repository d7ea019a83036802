/** The delete plan: the API first (its stages reference the link), then what of ours it leaves. */
import { PROXY_PATH, ROOT_PATH, Tags } from '../base/constants.js'
import { describeOwner, isOurs, madeFor, ownerOf } from '../model/ownership.js'
import type { DeleteConfig } from '../config/inputs.js'
import { leaveDomain, sweepDomains } from '../features/domain/plan.js'
import { type ResourceState, type RestApiSummary, type VpcLink } from '../model/model.js'
import type { DeleteDiscovery, DeletePlan, Step } from './plan.js'
import { describeApis, splitByOwnership } from './choose-api.js'
import { MANAGED_METHODS } from './diff.js'
import { planKeysDelete } from '../features/keys/plan.js'
import { NO_DOMAINS } from '../model/model.js'
import { linksUsedBy, deleteLink, isOrphan } from './links.js'
import { planStageDelete } from '../features/stage/plan.js'
import { planAuthorizerDelete } from '../features/authorizer/plan.js'

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

/**
 * Without `stage` (or with delete-on-exit): the whole gateway. With it: that stage of each API of the
 * gateway, and an API whole only with its last stage (features/stage).
 */
export function planDelete(config: DeleteConfig, found: DeleteDiscovery): DeletePlan {
  const going = apisToDelete(config, found.sameName)
  if (config.stage === undefined || config.only) return planWhole(config, found, going, [])
  const split = planStageDelete({ ...config, stage: config.stage }, found, going)
  const whole = planWhole(config, found, split.whole, split.staying)
  return {
    steps: [...split.steps, ...whole.steps],
    notes: [...split.notes, ...whole.notes],
    warnings: [...split.warnings, ...whole.warnings],
    stages: [...split.stages, ...whole.stages]
  }
}

/**
 * API first (its stages reference the link), then the VPC links of ours it leaves unused; `staying`: the
 * gateway's APIs that keep other stages (the links they go through stay).
 */
function planWhole(
  config: DeleteConfig,
  found: DeleteDiscovery,
  going: RestApiSummary[],
  staying: RestApiSummary[]
): DeletePlan {
  const { foreign } = splitByOwnership(found.sameName, config.owner)
  const notes: string[] = []
  if (foreign.length > 0) {
    notes.push(`Left alone: REST API named "${config.apiName}" ${describeApis(foreign, config.owner)}`)
  }
  for (const a of found.sameName) {
    if (!going.includes(a) && !foreign.includes(a) && !staying.includes(a))
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
    ...going.flatMap(a => planAuthorizerDelete(a.id, found.authorizers?.get(a.id))),
    ...going.map((a): Step => ({ op: 'delete-api', apiId: a.id }))
  ]
  // a link an API that stays goes through is kept: only the APIs that go count as its users here
  const kept = new Set(staying.flatMap(a => [...linksUsedBy(found.contents.get(a.id) ?? { resources: [] })]))
  const contents = new Map([...found.contents].filter(([id]) => going.some(a => a.id === id)))
  for (const link of deleteCandidates(config, { ...found, contents }).filter(l => !kept.has(l.id)))
    steps.push(deleteLink(link, found.linkUsers))
  steps.push(...(sweep?.steps ?? []))
  const warnings: string[] = [...domains.flatMap(d => d.warnings), ...(sweep?.warnings ?? [])]
  const stages: DeletePlan['stages'] = []
  for (const api of going) {
    const { resources = [], stages: its = [] } = found.contents.get(api.id) ?? {}
    for (const id of linksUsedBy({ resources, stages: its })) {
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
