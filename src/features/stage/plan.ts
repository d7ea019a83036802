/**
 * Pure: a delete of one stage (`stage` given). An API of the gateway that has other stages keeps them and
 * loses this one: its usage plan and the action's keys on it, its base path mapping (and the domain, with
 * the last gateway out of one of ours), its web ACL association, then the stage itself (its canary goes
 * with it). An API whose last stage it is goes whole, as a delete without `stage` takes it. A stage the
 * action did not make is left alone, and so is its API.
 */
import { Tags } from '../../base/constants.js'
import type { DeleteConfig } from '../../config/inputs.js'
import type { DeleteDiscovery, Step } from '../../core/plan.js'
import { NO_DOMAINS, type RestApiSummary, type StageState } from '../../model/model.js'
import { isOurs } from '../../model/ownership.js'
import { leaveDomain } from '../domain/plan.js'
import { madeMappings } from '../domain/plan-leave.js'
import { planKeysDeleteStage } from '../keys/plan-stage.js'
import { groupsIn } from '../settings/plan.js'

export type StageDeleteStep =
  /** The stage, last: what refers to it is gone by then (a run that stops before it finds it again). */
  | { op: 'delete-stage'; apiId: string; stage: string }
  | { op: 'disassociate-stage-web-acl'; apiId: string; stage: string }
  /** The API's tags that said where it was served, once the mapping the action made is gone. */
  | { op: 'untag-api-domain'; apiId: string; keys: string[] }

export interface StageDelete {
  /** The APIs whose last stage this is (or that have none): deleted whole. */
  whole: RestApiSummary[]
  /** The APIs that stay: their links are not this delete's to remove. */
  staying: RestApiSummary[]
  steps: Step[]
  notes: string[]
  warnings: string[]
  /** The stages removed from APIs that stay. */
  stages: { apiId: string; name: string }[]
}

/** Splits the APIs a delete would take into those that go whole and those that lose `stage` only. */
export function planStageDelete(
  config: Pick<DeleteConfig, 'owner' | 'apiName' | 'region'> & { stage: string },
  found: DeleteDiscovery,
  going: RestApiSummary[]
): StageDelete {
  const out: StageDelete = { whole: [], staying: [], steps: [], notes: [], warnings: [], stages: [] }
  for (const api of going) {
    const stages = found.contents.get(api.id)?.stages ?? []
    const named = stages.find(s => s.name === config.stage)
    const others = stages.filter(s => s !== named).map(s => s.name)
    if (named && !isOurs(named.tags, config.owner)) {
      out.staying.push(api)
      out.notes.push(
        `Left alone: stage ${config.stage} of REST API ${api.id}, which this action did not make ` +
          '(nor is the API deleted with it)'
      )
      continue
    }
    if (others.length === 0) {
      out.whole.push(api)
      out.notes.push(
        named
          ? `Stage ${config.stage} is the last stage of REST API ${api.id}: the API goes with it`
          : `REST API ${api.id} has no stage: it goes`
      )
      continue
    }
    out.staying.push(api)
    out.notes.push(
      `Deleting stage ${config.stage} of REST API ${api.id} only: the API stays, with stage(s) ${others.join(', ')}`
    )
    const left = leaveStage(config, found, api, named)
    out.steps.push(...left.steps)
    out.notes.push(...left.notes)
    out.warnings.push(...left.warnings)
    if (named) out.stages.push({ apiId: api.id, name: named.name })
  }
  return out
}

/**
 * What goes with one stage of an API that stays, in an order a re-run of a stopped delete converges from:
 * what refers to the stage first, the stage last (until it goes, its tags say what the action set on it).
 */
function leaveStage(
  config: Pick<DeleteConfig, 'owner' | 'apiName' | 'region'> & { stage: string },
  found: DeleteDiscovery,
  api: RestApiSummary,
  named: StageState | undefined
): { steps: Step[]; notes: string[]; warnings: string[] } {
  const at = { apiId: api.id, stage: config.stage }
  const steps: Step[] = [...planKeysDeleteStage(config.owner, config.apiName, at, found.keys)]
  const notes: string[] = []
  const warnings: string[] = []
  const domainName = api.tags[Tags.DomainName]
  if (domainName) {
    const view = (found.domain ?? NO_DOMAINS).domains.get(domainName)
    const its = (view?.mappings ?? []).filter(m => m.restApiId === api.id)
    const made = madeMappings(its, api.tags[Tags.BasePath])
    // the mapping the action made serves this stage (or is gone already): it goes, and the tags saying so
    if (made.every(m => m.stage === config.stage)) {
      const leaving = leaveDomain(
        { owner: config.owner, region: config.region, found: found.domain ?? NO_DOMAINS, apiIds: [api.id] },
        domainName,
        api.tags[Tags.HostedZoneId],
        m => made.includes(m)
      )
      steps.push(...leaving.steps)
      notes.push(...leaving.notes)
      warnings.push(...leaving.warnings)
      const keys = [Tags.DomainName, Tags.BasePath, Tags.HostedZoneId].filter(k => api.tags[k] !== undefined)
      steps.push({ op: 'untag-api-domain', apiId: api.id, keys })
    }
  }
  if (named && groupsIn(named.tags[Tags.StageSettings]).has('waf'))
    steps.push({ op: 'disassociate-stage-web-acl', apiId: api.id, stage: config.stage })
  if (named) steps.push({ op: 'delete-stage', apiId: api.id, stage: config.stage })
  return { steps, notes, warnings }
}
