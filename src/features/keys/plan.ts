/**
 * Pure: API keys and the usage plan that holds them, for one API stage. The plan and the keys are
 * the action's (tagged so); a key of the name made by anyone else is never reused, changed or
 * deleted, and a key a person attached to the action's plan stays attached. A plan of this
 * repository's for the gateway that serves nothing (a run stopped between taking its stages off
 * and deleting it) is found by its tags and swept, never another repository's or a person's.
 */
import type { Change } from '../../report/words.js'
import type { ApiKey, Patch, UsagePlan } from '../../model/model.js'
import { Tags } from '../../base/constants.js'
import { isOurs, madeFor, madeForStage } from '../../model/ownership.js'
import type { Settings } from '../settings/inputs.js'

/** The keys discovered: the action's usage plans for the API stage, every key, the plan's keys. */
export interface KeysDiscovery {
  plans: UsagePlan[]
  keys: ApiKey[]
  /** Key ids attached to the chosen plan. */
  attached: string[]
  /**
   * For a delete: the key ids attached to each plan of the action's, by plan id; for a create, to
   * each stray plan (`strayPlans`).
   */
  attachedTo?: Map<string, string[]>
  /** The APIs plans of the gateway's serve that are gone (not listed, and not found when asked). */
  gone?: string[]
}

export { madeForStage }
export type { ApiKey, UsagePlan }

export type KeyStep =
  | {
      op: 'create-usage-plan'
      name: string
      stage: string
      quota?: { limit: number; period: string }
      throttle?: { rate: number; burst: number }
      tags: Record<string, string>
    }
  | { op: 'update-usage-plan'; planId: string; patches: Patch[]; changes: Change[] }
  | { op: 'create-api-key'; name: string; tags: Record<string, string> }
  /** `keyId` absent: the key of that name this run makes; `planId` absent: the plan it makes. */
  | { op: 'attach-api-key'; name: string; keyId?: string; planId?: string }
  | { op: 'detach-api-key'; planId: string; keyId: string; name: string }
  | { op: 'delete-api-key'; keyId: string; name: string }
  | { op: 'delete-usage-plan'; planId: string; apiStages: { apiId: string; stage: string }[] }

/** A usage plan's API stages in an update's text. */
export const stagesText = (list: { apiId: string; stage: string }[]): string =>
  list.map(s => `${s.apiId}:${s.stage}`).join(' ')

export interface KeysPart {
  steps: KeyStep[]
  /** The keys that exist already, in the order of `api-keys` (the ones made are known once made). */
  existing: ApiKey[]
  notes: string[]
}

/** The usage plan of the action's for this API stage. */
export function planFor(plans: UsagePlan[], owner: string, apiId: string | undefined, stage: string) {
  return plans.find(
    p => isOurs(p.tags, owner) && p.apiStages.some(s => s.apiId === apiId && s.stage === stage)
  )
}

/**
 * The action's plans for the gateway `apiName` (this repository's, of any stage) that serve nothing:
 * no stage, or only stages of APIs that are not `live` (gone, or being deleted). A create makes its
 * plan with its stage, so a plan in the making is never one of them.
 */
export function strayPlans(
  plans: UsagePlan[],
  owner: string,
  apiName: string,
  live: (apiId: string) => boolean
): UsagePlan[] {
  return plans.filter(p => madeFor(p.tags, owner, apiName) && !p.apiStages.some(s => live(s.apiId)))
}

/** Steps that take a stray plan's keys off it, then delete it (its keys go as the callers decide). */
function sweepSteps(plan: UsagePlan, found: KeysDiscovery): KeyStep[] {
  return [
    ...(found.attachedTo?.get(plan.id) ?? []).map((keyId): KeyStep => ({
      op: 'detach-api-key',
      planId: plan.id,
      keyId,
      name: found.keys.find(k => k.id === keyId)?.name ?? keyId
    })),
    { op: 'delete-usage-plan', planId: plan.id, apiStages: plan.apiStages }
  ]
}

/**
 * The keys stray plans hold that go with them: the gateway's, made for the stray's stage, unless a
 * plan of that stage still serves (that stage's runs decide on its keys).
 */
function strayKeys(
  strays: UsagePlan[],
  found: KeysDiscovery,
  owner: string,
  apiName: string,
  live: (apiId: string) => boolean
): ApiKey[] {
  const out: ApiKey[] = []
  for (const p of strays) {
    const stage = p.tags[Tags.Stage] ?? ''
    const served = found.plans.some(
      q =>
        !strays.includes(q) &&
        madeForStage(q.tags, owner, apiName, stage) &&
        q.apiStages.some(s => live(s.apiId))
    )
    if (served) continue
    for (const id of found.attachedTo?.get(p.id) ?? []) {
      const key = found.keys.find(k => k.id === id)
      if (key && madeForStage(key.tags, owner, apiName, stage) && !out.includes(key)) out.push(key)
    }
  }
  return out
}

/** What `planKeys` plans from. */
interface KeysContext {
  owner: string
  apiName: string
  apiId?: string
  stage: string
  settings: Settings
  found: KeysDiscovery | undefined
  tags: Record<string, string>
}

export function planKeys(ctx: KeysContext): KeysPart {
  const found = ctx.found ?? { plans: [], keys: [], attached: [] }
  const plan = ctx.apiId ? planFor(found.plans, ctx.owner, ctx.apiId, ctx.stage) : undefined
  // plans of the gateway's serving nothing: swept, with the keys they hold (this stage's are decided
  // below, as any key of this stage's)
  const gone = new Set(found.gone ?? [])
  const live = (id: string): boolean => !gone.has(id)
  const strays = strayPlans(found.plans, ctx.owner, ctx.apiName, live).filter(p => p !== plan)
  const swept = [
    ...strays.flatMap(p => sweepSteps(p, found)),
    ...strayKeys(strays, found, ctx.owner, ctx.apiName, live)
      .filter(k => k.tags[Tags.Stage] !== ctx.stage)
      .map((k): KeyStep => ({ op: 'delete-api-key', keyId: k.id, name: k.name }))
  ]
  // a key belongs to one stage: another stage's keys of this gateway are that stage's to keep
  const ours = found.keys.filter(k => madeForStage(k.tags, ctx.owner, ctx.apiName, ctx.stage))
  if (ctx.settings.apiKeys.length === 0) {
    if (plan) return { steps: [...dropPlan(plan, found, ours), ...swept], existing: [], notes: [] }
    const held = new Set(strayKeys(strays, found, ctx.owner, ctx.apiName, live).map(k => k.id))
    const mine = ours.filter(k => held.has(k.id))
    const steps = [
      ...swept,
      ...mine.map((k): KeyStep => ({ op: 'delete-api-key', keyId: k.id, name: k.name }))
    ]
    return { steps, existing: [], notes: [] }
  }
  const keys = keepKeys(ctx, found, plan, ours)
  return { ...keys, steps: [...swept, ...keepPlan(ctx, plan), ...keys.steps] }
}

/** The inputs went: the plan goes, its keys of the action's with it (a person's key is detached only). */
function dropPlan(plan: UsagePlan, found: KeysDiscovery, ours: ApiKey[]): KeyStep[] {
  const steps: KeyStep[] = []
  for (const id of found.attached) {
    const key = found.keys.find(k => k.id === id)
    steps.push({ op: 'detach-api-key', planId: plan.id, keyId: id, name: key?.name ?? id })
  }
  for (const k of ours) steps.push({ op: 'delete-api-key', keyId: k.id, name: k.name })
  steps.push({ op: 'delete-usage-plan', planId: plan.id, apiStages: plan.apiStages })
  return steps
}

/** The usage plan for the stage: made, or its quota and throttle set as asked. */
function keepPlan(ctx: KeysContext, plan: UsagePlan | undefined): KeyStep[] {
  const { apiKeyQuota: quota, apiKeyThrottle: throttle } = ctx.settings
  if (!plan) {
    return [
      {
        op: 'create-usage-plan',
        name: `${ctx.apiName}-${ctx.stage}`,
        stage: ctx.stage,
        quota: quota && { limit: quota.limit, period: quota.period },
        throttle,
        tags: { ...ctx.tags, [Tags.Stage]: ctx.stage }
      }
    ]
  }
  const patches: Patch[] = []
  const changes: Change[] = []
  const quotaText = (q?: { limit: number; period: string }): string =>
    q ? `${q.limit}/${q.period.toLowerCase()}` : 'none'
  const rateText = (t?: { rate: number; burst: number }): string => (t ? `${t.rate}/${t.burst}` : 'none')
  if (quota && (plan.quota?.limit !== quota.limit || plan.quota.period !== quota.period)) {
    patches.push(
      { op: 'replace', path: '/quota/limit', value: String(quota.limit) },
      { op: 'replace', path: '/quota/period', value: quota.period }
    )
  } else if (!quota && plan.quota) patches.push({ op: 'remove', path: '/quota' })
  if (patches.length > 0) changes.push({ what: 'quota', from: quotaText(plan.quota), to: quotaText(quota) })
  const quotaPatches = patches.length
  if (throttle && (plan.throttle?.rate !== throttle.rate || plan.throttle.burst !== throttle.burst)) {
    patches.push(
      { op: 'replace', path: '/throttle/rateLimit', value: String(throttle.rate) },
      { op: 'replace', path: '/throttle/burstLimit', value: String(throttle.burst) }
    )
  } else if (!throttle && plan.throttle) patches.push({ op: 'remove', path: '/throttle' })
  if (patches.length > quotaPatches)
    changes.push({ what: 'throttle', from: rateText(plan.throttle), to: rateText(throttle) })
  return patches.length > 0 ? [{ op: 'update-usage-plan', planId: plan.id, patches, changes }] : []
}

/**
 * The keys asked for: the action's of the name for this stage, attached to the plan, or made (a key of
 * the name made by anyone else is not reused); the action's no longer asked for go.
 */
function keepKeys(
  ctx: KeysContext,
  found: KeysDiscovery,
  plan: UsagePlan | undefined,
  ours: ApiKey[]
): KeysPart {
  const wanted = ctx.settings.apiKeys
  const tags = { ...ctx.tags, [Tags.Stage]: ctx.stage }
  const steps: KeyStep[] = []
  const notes: string[] = []
  const existing: ApiKey[] = []
  for (const name of wanted) {
    const key = ours.find(k => k.name === name)
    if (!key) {
      const others = found.keys.filter(k => k.name === name && !isOurs(k.tags, ctx.owner)).length
      if (others > 0)
        notes.push(`API key "${name}" exists but was not made by this action: a new one is made`)
      steps.push({ op: 'create-api-key', name, tags })
      steps.push({ op: 'attach-api-key', name, planId: plan?.id })
      continue
    }
    existing.push(key)
    if (!plan || !found.attached.includes(key.id)) {
      steps.push({ op: 'attach-api-key', name, keyId: key.id, planId: plan?.id })
    }
  }
  // keys of this gateway's no longer asked for
  for (const k of ours.filter(k => !wanted.includes(k.name))) {
    if (plan && found.attached.includes(k.id)) {
      steps.push({ op: 'detach-api-key', planId: plan.id, keyId: k.id, name: k.name })
    }
    steps.push({ op: 'delete-api-key', keyId: k.id, name: k.name })
  }
  return { steps, existing, notes }
}

/**
 * A delete's steps for the plans of the APIs it removes (before them: a plan refers to its stages),
 * and for the gateway's plans that serve nothing.
 */
export function planKeysDelete(
  owner: string,
  apiName: string,
  apiIds: string[],
  found: KeysDiscovery | undefined
): KeyStep[] {
  if (!found) return []
  const steps: KeyStep[] = []
  const gone = new Set(found.gone ?? [])
  const live = (apiId: string) => !apiIds.includes(apiId) && !gone.has(apiId)
  const strays = strayPlans(found.plans, owner, apiName, live)
  const plans = found.plans.filter(
    p => strays.includes(p) || (isOurs(p.tags, owner) && p.apiStages.some(s => apiIds.includes(s.apiId)))
  )
  // plans that also serve an API that stays: they stay, with the keys they hold
  const staying = new Set<UsagePlan>()
  for (const plan of plans) {
    // a plan also serving an API that stays only loses these APIs' stages
    const stays = plan.apiStages.filter(s => live(s.apiId))
    if (stays.length > 0) {
      staying.add(plan)
      steps.push({
        op: 'update-usage-plan',
        planId: plan.id,
        patches: plan.apiStages
          .filter(s => apiIds.includes(s.apiId))
          .map(s => ({ op: 'remove', path: '/apiStages', value: `${s.apiId}:${s.stage}` })),
        changes: [{ what: 'API stages', from: stagesText(plan.apiStages), to: stagesText(stays) }]
      })
      continue
    }
    // its keys taken off first, then the plan
    for (const keyId of found.attachedTo?.get(plan.id) ?? []) {
      const name = found.keys.find(k => k.id === keyId)?.name ?? keyId
      steps.push({ op: 'detach-api-key', planId: plan.id, keyId, name })
    }
    steps.push({ op: 'delete-usage-plan', planId: plan.id, apiStages: plan.apiStages })
  }
  // the gateway's keys go with it, a plan or not (a delete that stopped may have removed the plan first),
  // unless a plan of the action's that stays still holds them (a twin's plan, another API's); a
  // plan swept above holds none
  const held = new Set(
    found.plans
      .filter(p => isOurs(p.tags, owner) && (!plans.includes(p) || staying.has(p)))
      .flatMap(p => found.attachedTo?.get(p.id) ?? [])
  )
  for (const k of found.keys.filter(k => madeFor(k.tags, owner, apiName) && !held.has(k.id))) {
    steps.push({ op: 'delete-api-key', keyId: k.id, name: k.name })
  }
  return steps
}

/** The `api-key-ids` output: `name=id`, one per line, in the order of `api-keys`. */
export function apiKeyIdsOutput(names: string[], keys: { name: string; id: string }[]): string {
  return names
    .flatMap(n => {
      const k = keys.find(x => x.name === n)
      return k ? [`${n}=${k.id}`] : []
    })
    .join('\n')
}
