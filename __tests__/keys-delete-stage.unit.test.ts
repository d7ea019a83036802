/**
 * The API keys part of deleting one stage (planKeysDeleteStage): usage plans and keys as GetUsagePlans and
 * GetApiKeys answer them, written out, and the steps written out by hand.
 */
import { describe, expect, it } from '@jest/globals'
import { planKeysDeleteStage } from '../src/features/keys/plan-stage.js'
import type { KeysDiscovery } from '../src/features/keys/plan.js'

const OURS = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'octo/app',
  'cortex-rest-gateway:api-name': 'web'
}
const forStage = (stage: string, more: Record<string, string> = {}) => ({
  ...OURS,
  'cortex-rest-gateway:stage': stage,
  ...more
})
const at = { apiId: 'a1', stage: 'prod' }
const plan = (keys: KeysDiscovery) => planKeysDeleteStage('octo/app', 'web', at, keys)

describe('the keys of a stage that goes', () => {
  it('nothing read, nothing to do', () => {
    expect(planKeysDeleteStage('octo/app', 'web', at, undefined)).toEqual([])
  })

  it("leaves plans of another API's stage of the name, and a person's plan, as they are", () => {
    expect(
      plan({
        plans: [
          { id: 'p-other', name: 'x', apiStages: [{ apiId: 'a2', stage: 'prod' }], tags: OURS },
          { id: 'p-dev', name: 'x', apiStages: [{ apiId: 'a1', stage: 'dev' }], tags: OURS },
          { id: 'p-theirs', name: 'x', apiStages: [at], tags: {} }
        ],
        keys: [],
        attached: [],
        attachedTo: new Map([['p-other', ['k1']]])
      })
    ).toEqual([])
  })

  it('names a detached key by its id where it was not listed; a plan without keys just goes', () => {
    expect(
      plan({
        plans: [
          { id: 'p1', name: 'x', apiStages: [at], tags: OURS },
          { id: 'p2', name: 'y', apiStages: [at], tags: OURS }
        ],
        keys: [],
        attached: [],
        attachedTo: new Map([['p1', ['k-unlisted']]])
      })
    ).toEqual([
      { op: 'detach-api-key', planId: 'p1', keyId: 'k-unlisted', name: 'k-unlisted' },
      { op: 'delete-usage-plan', planId: 'p1', apiStages: [at] },
      { op: 'delete-usage-plan', planId: 'p2', apiStages: [at] }
    ])
  })

  it('names a detached key by its own name where it was listed', () => {
    expect(
      plan({
        plans: [{ id: 'p1', name: 'x', apiStages: [at], tags: OURS }],
        keys: [
          { id: 'k-one', name: 'one', tags: forStage('dev') },
          { id: 'k-two', name: 'two', tags: forStage('dev') }
        ],
        attached: [],
        attachedTo: new Map([['p1', ['k-two']]])
      })
    ).toEqual([
      { op: 'detach-api-key', planId: 'p1', keyId: 'k-two', name: 'two' },
      { op: 'delete-usage-plan', planId: 'p1', apiStages: [at] }
    ])
  })

  it('with no list of what each plan holds: the plan goes with no key taken off, and the keys of the stage', () => {
    const keys = [
      { id: 'k-free', name: 'free', tags: forStage('prod') },
      { id: 'k-dev', name: 'dev', tags: forStage('dev') }
    ]
    expect(
      plan({
        plans: [
          { id: 'p1', name: 'x', apiStages: [at], tags: OURS },
          { id: 'p-dev', name: 'y', apiStages: [{ apiId: 'a1', stage: 'dev' }], tags: OURS }
        ],
        keys,
        attached: []
      })
    ).toEqual([
      { op: 'delete-usage-plan', planId: 'p1', apiStages: [at] },
      { op: 'delete-api-key', keyId: 'k-free', name: 'free' }
    ])
  })

  it("takes off the plan of another API's stage too only this one, in its words", () => {
    const both = [{ apiId: 'a2', stage: 'prod' }, at, { apiId: 'a1', stage: 'dev' }]
    expect(
      plan({ plans: [{ id: 'p', name: 'x', apiStages: both, tags: OURS }], keys: [], attached: [] })
    ).toEqual([
      {
        op: 'update-usage-plan',
        planId: 'p',
        patches: [{ op: 'remove', path: '/apiStages', value: 'a1:prod' }],
        changes: [{ what: 'API stages', from: 'a2:prod a1:prod a1:dev', to: 'a2:prod a1:dev' }]
      }
    ])
  })

  it('deletes the keys made for the stage but one a plan of the action that stays holds', () => {
    const keys = [
      { id: 'k-free', name: 'free', tags: forStage('prod') },
      { id: 'k-held', name: 'held', tags: forStage('prod') },
      { id: 'k-person', name: 'person', tags: forStage('prod', { 'cortex-rest-gateway:api-name': 'other' }) },
      { id: 'k-dev', name: 'dev', tags: forStage('dev') }
    ]
    expect(
      plan({
        plans: [
          { id: 'p-stays', name: 'x', apiStages: [{ apiId: 'a1', stage: 'dev' }], tags: OURS },
          // a person's plan holding a key keeps nothing: the key is the action's
          { id: 'p-theirs', name: 'x', apiStages: [{ apiId: 'a1', stage: 'dev' }], tags: {} }
        ],
        keys,
        attached: [],
        attachedTo: new Map([
          ['p-stays', ['k-held']],
          ['p-theirs', ['k-free']]
        ])
      })
    ).toEqual([{ op: 'delete-api-key', keyId: 'k-free', name: 'free' }])
    // without a list of what each plan holds: every key made for the stage goes
    expect(plan({ plans: [], keys, attached: [] })).toEqual([
      { op: 'delete-api-key', keyId: 'k-free', name: 'free' },
      { op: 'delete-api-key', keyId: 'k-held', name: 'held' }
    ])
  })
})
