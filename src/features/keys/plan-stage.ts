/**
 * Pure: the API keys part of deleting one stage of an API that stays. The action's usage plan for that
 * API stage goes (its keys taken off first), or only loses that stage when it serves another; the
 * action's keys made for that stage go, unless a plan of the action's that stays still holds them.
 */
import { isOurs, madeForStage } from '../../model/ownership.js'
import { stagesText, type KeysDiscovery, type KeyStep } from './plan.js'

export function planKeysDeleteStage(
  owner: string,
  apiName: string,
  at: { apiId: string; stage: string },
  found: KeysDiscovery | undefined
): KeyStep[] {
  if (!found) return []
  const steps: KeyStep[] = []
  const isAt = (s: { apiId: string; stage: string }): boolean => s.apiId === at.apiId && s.stage === at.stage
  const plans = found.plans.filter(p => isOurs(p.tags, owner) && p.apiStages.some(isAt))
  const deleted = new Set<string>()
  for (const plan of plans) {
    if (plan.apiStages.some(s => !isAt(s))) {
      // it serves another stage too: only this one is taken off
      steps.push({
        op: 'update-usage-plan',
        planId: plan.id,
        patches: [{ op: 'remove', path: '/apiStages', value: `${at.apiId}:${at.stage}` }],
        changes: [
          {
            what: 'API stages',
            from: stagesText(plan.apiStages),
            to: stagesText(plan.apiStages.filter(s => !isAt(s)))
          }
        ]
      })
      continue
    }
    for (const keyId of found.attachedTo?.get(plan.id) ?? []) {
      const name = found.keys.find(k => k.id === keyId)?.name ?? keyId
      steps.push({ op: 'detach-api-key', planId: plan.id, keyId, name })
    }
    steps.push({ op: 'delete-usage-plan', planId: plan.id, apiStages: plan.apiStages })
    deleted.add(plan.id)
  }
  // a key another plan of the action's holds (one that stays) stays with it
  const held = new Set(
    found.plans
      .filter(p => isOurs(p.tags, owner) && !deleted.has(p.id))
      .flatMap(p => found.attachedTo?.get(p.id) ?? [])
  )
  for (const k of found.keys.filter(k => madeForStage(k.tags, owner, apiName, at.stage) && !held.has(k.id))) {
    steps.push({ op: 'delete-api-key', keyId: k.id, name: k.name })
  }
  return steps
}
