/**
 * The API keys' planner (src/features/keys/plan.ts) as the README's "REST settings" and
 * docs/ownership.md ("Usage plans and API keys") describe it: one usage plan of the action's for the
 * API stage holds the keys of `api-keys`; keys of these names the action made are reused, missing
 * ones made; dropping a name deletes that key, dropping `api-keys` the plan and the action's keys (a
 * person's key is only taken off); each stage keeps its own plan and keys; a plan of the gateway's
 * serving nothing is swept; nothing of anyone else's is touched. Expected values are written out.
 */
import { describe, expect, it } from '@jest/globals'
import type { CreateConfig } from '../src/config/inputs.js'
import {
  apiKeyIdsOutput,
  planKeys,
  planKeysDelete,
  type ApiKey,
  type KeysDiscovery,
  type UsagePlan
} from '../src/features/keys/plan.js'
import { configFrom } from './support/inputs.js'

const OWNED = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'local',
  'cortex-rest-gateway:api-name': 'cortex'
}
const STAGE = 'cortex-rest-gateway:stage'
const DEV = { ...OWNED, [STAGE]: 'dev' }
const OTHER_REPO = { ...DEV, 'cortex-rest-gateway:repository': 'octo/other' }

const settings = (inputs: Record<string, string>) =>
  (configFrom({ 'load-balancer': 'cortex-1.elb.us-west-2.amazonaws.com', ...inputs }) as CreateConfig)
    .settings
const key = (id: string, name: string, tags: Record<string, string> = DEV): ApiKey => ({ id, name, tags })
const usagePlan = (id: string, apiStages: [string, string][], more: Partial<UsagePlan> = {}): UsagePlan => ({
  id,
  name: `cortex-${apiStages[0]?.[1] ?? 'dev'}`,
  apiStages: apiStages.map(([apiId, stage]) => ({ apiId, stage })),
  tags: DEV,
  ...more
})
const plan = (inputs: Record<string, string>, found?: KeysDiscovery, apiId: string | undefined = 'a1') =>
  planKeys({
    owner: 'local',
    apiName: 'cortex',
    apiId,
    stage: 'dev',
    settings: settings(inputs),
    found,
    tags: OWNED
  })

describe('planKeys', () => {
  it('makes the usage plan for the stage, then each key, attached to it, for a new gateway', () => {
    const p = plan(
      { 'api-keys': 'alpha, beta', 'api-key-quota': '1000/month', 'api-key-throttle': '10/20' },
      undefined,
      undefined
    )
    expect(p.steps).toEqual([
      {
        op: 'create-usage-plan',
        name: 'cortex-dev',
        stage: 'dev',
        quota: { limit: 1000, period: 'MONTH' },
        throttle: { rate: 10, burst: 20 },
        tags: DEV
      },
      { op: 'create-api-key', name: 'alpha', tags: DEV },
      { op: 'attach-api-key', name: 'alpha', planId: undefined },
      { op: 'create-api-key', name: 'beta', tags: DEV },
      { op: 'attach-api-key', name: 'beta', planId: undefined }
    ])
    expect(p.existing).toEqual([])
    expect(plan({}, undefined, undefined).steps).toEqual([])
  })

  it("reuses the action's keys of the names, attaches the ones not on the plan, deletes the ones dropped", () => {
    const keys = [key('k-a', 'alpha'), key('k-b', 'beta'), key('k-g', 'gamma'), key('k-h', 'hand', {})]
    const found = { plans: [usagePlan('p1', [['a1', 'dev']])], keys, attached: ['k-a', 'k-g', 'k-h'] }
    const p = plan({ 'api-keys': 'alpha, beta' }, found)
    expect(p.steps).toEqual([
      { op: 'attach-api-key', name: 'beta', keyId: 'k-b', planId: 'p1' },
      { op: 'detach-api-key', planId: 'p1', keyId: 'k-g', name: 'gamma' },
      { op: 'delete-api-key', keyId: 'k-g', name: 'gamma' }
    ])
    expect(p.existing).toEqual([keys[0], keys[1]])
    expect(p.notes).toEqual([])
  })

  it("makes a new key beside one of the name it did not make, another stage's or repository's, saying so", () => {
    const found = {
      plans: [usagePlan('p1', [['a1', 'dev']])],
      keys: [
        key('k-h', 'alpha', {}),
        key('k-o', 'alpha', OTHER_REPO),
        key('k-p', 'gamma', { ...OWNED, [STAGE]: 'prod' }),
        key('k-x', 'other', {})
      ],
      attached: []
    }
    const p = plan({ 'api-keys': 'alpha, beta, gamma' }, found)
    expect(p.steps).toEqual(
      ['alpha', 'beta', 'gamma'].flatMap(name => [
        { op: 'create-api-key', name, tags: DEV },
        { op: 'attach-api-key', name, planId: 'p1' }
      ])
    )
    // beta exists nowhere; gamma only as another stage's key of this gateway: no note for either
    expect(p.notes).toEqual(['API key "alpha" exists but was not made by this action: a new one is made'])
  })

  it.each<[string, Partial<UsagePlan>, Record<string, string>, object[], object[]]>([
    ['as asked', { quota: { limit: 1000, period: 'MONTH' }, throttle: { rate: 10, burst: 20 } }, {}, [], []],
    [
      'another limit and period',
      { quota: { limit: 500, period: 'DAY' }, throttle: { rate: 10, burst: 20 } },
      {},
      [
        { op: 'replace', path: '/quota/limit', value: '1000' },
        { op: 'replace', path: '/quota/period', value: 'MONTH' }
      ],
      [{ what: 'quota', from: '500/day', to: '1000/month' }]
    ],
    [
      'another period only',
      { quota: { limit: 1000, period: 'WEEK' }, throttle: { rate: 10, burst: 20 } },
      {},
      [
        { op: 'replace', path: '/quota/limit', value: '1000' },
        { op: 'replace', path: '/quota/period', value: 'MONTH' }
      ],
      [{ what: 'quota', from: '1000/week', to: '1000/month' }]
    ],
    [
      'no quota or throttle yet',
      {},
      {},
      [
        { op: 'replace', path: '/quota/limit', value: '1000' },
        { op: 'replace', path: '/quota/period', value: 'MONTH' },
        { op: 'replace', path: '/throttle/rateLimit', value: '10' },
        { op: 'replace', path: '/throttle/burstLimit', value: '20' }
      ],
      [
        { what: 'quota', from: 'none', to: '1000/month' },
        { what: 'throttle', from: 'none', to: '10/20' }
      ]
    ],
    [
      'another burst only',
      { quota: { limit: 1000, period: 'MONTH' }, throttle: { rate: 10, burst: 5 } },
      {},
      [
        { op: 'replace', path: '/throttle/rateLimit', value: '10' },
        { op: 'replace', path: '/throttle/burstLimit', value: '20' }
      ],
      [{ what: 'throttle', from: '10/5', to: '10/20' }]
    ],
    [
      'quota and throttle no longer asked for',
      { quota: { limit: 1000, period: 'MONTH' }, throttle: { rate: 10, burst: 20 } },
      { 'api-key-quota': '', 'api-key-throttle': '' },
      [
        { op: 'remove', path: '/quota' },
        { op: 'remove', path: '/throttle' }
      ],
      [
        { what: 'quota', from: '1000/month', to: 'none' },
        { what: 'throttle', from: '10/20', to: 'none' }
      ]
    ],
    ['neither asked for nor set', {}, { 'api-key-quota': '', 'api-key-throttle': '' }, [], []]
  ])(
    'sets the usage plan’s quota and throttle where they differ: %s',
    (_, held, inputs, patches, changes) => {
      const found = {
        plans: [usagePlan('p1', [['a1', 'dev']], held)],
        keys: [key('k-a', 'alpha')],
        attached: ['k-a']
      }
      const p = plan(
        { 'api-keys': 'alpha', 'api-key-quota': '1000/month', 'api-key-throttle': '10/20', ...inputs },
        found
      )
      expect(p.steps).toEqual(
        patches.length > 0 ? [{ op: 'update-usage-plan', planId: 'p1', patches, changes }] : []
      )
    }
  )

  it("with api-keys dropped, deletes the plan and the action's keys; a person's key is only taken off", () => {
    const found = {
      plans: [usagePlan('p1', [['a1', 'dev']])],
      keys: [
        key('k-a', 'alpha'),
        key('k-h', 'hand', {}),
        key('k-p', 'prod-key', { ...OWNED, [STAGE]: 'prod' })
      ],
      attached: ['k-a', 'k-h']
    }
    expect(plan({}, found).steps).toEqual([
      { op: 'detach-api-key', planId: 'p1', keyId: 'k-a', name: 'alpha' },
      { op: 'detach-api-key', planId: 'p1', keyId: 'k-h', name: 'hand' },
      { op: 'delete-api-key', keyId: 'k-a', name: 'alpha' },
      { op: 'delete-usage-plan', planId: 'p1', apiStages: [{ apiId: 'a1', stage: 'dev' }] }
    ])
  })

  it('leaves alone the plans of other stages, other repositories and people', () => {
    const found = {
      plans: [
        usagePlan('p-prod', [['a1', 'prod']], { tags: { ...OWNED, [STAGE]: 'prod' } }),
        usagePlan('p-other', [['a1', 'dev']], { tags: OTHER_REPO }),
        usagePlan('p-hand', [['a1', 'dev']], { tags: {} })
      ],
      keys: [key('k-p', 'alpha', { ...OWNED, [STAGE]: 'prod' })],
      attached: []
    }
    expect(plan({}, found).steps).toEqual([])
    // the plan it makes for its stage is its own
    expect(plan({ 'api-keys': 'alpha' }, found).steps.map(s => s.op)).toEqual([
      'create-usage-plan',
      'create-api-key',
      'attach-api-key'
    ])
  })

  it("sweeps a plan of the gateway's that serves nothing, with the keys of its stage that no live plan holds", () => {
    const found: KeysDiscovery = {
      plans: [
        usagePlan('p1', [['a1', 'dev']]),
        usagePlan('p-gone', [['a-gone', 'staging']], { tags: { ...OWNED, [STAGE]: 'staging' } }),
        usagePlan('p-none', [], { tags: { ...OWNED, [STAGE]: 'qa' } }),
        usagePlan('p-served', [['a-gone', 'prod']], { tags: { ...OWNED, [STAGE]: 'prod' } }),
        usagePlan('p-prod', [['a1', 'prod']], { tags: { ...OWNED, [STAGE]: 'prod' } }),
        usagePlan('p-other', [['a-gone', 'dev']], { tags: OTHER_REPO })
      ],
      keys: [
        key('k-a', 'alpha'),
        key('k-s', 'staging-key', { ...OWNED, [STAGE]: 'staging' }),
        key('k-h', 'hand', {}),
        key('k-p', 'prod-key', { ...OWNED, [STAGE]: 'prod' })
      ],
      attached: ['k-a'],
      attachedTo: new Map([
        ['p-gone', ['k-s', 'k-h', 'k-unknown']],
        ['p-served', ['k-p']]
      ]),
      gone: ['a-gone']
    }
    expect(plan({ 'api-keys': 'alpha' }, found).steps).toEqual([
      { op: 'detach-api-key', planId: 'p-gone', keyId: 'k-s', name: 'staging-key' },
      { op: 'detach-api-key', planId: 'p-gone', keyId: 'k-h', name: 'hand' },
      { op: 'detach-api-key', planId: 'p-gone', keyId: 'k-unknown', name: 'k-unknown' },
      { op: 'delete-usage-plan', planId: 'p-gone', apiStages: [{ apiId: 'a-gone', stage: 'staging' }] },
      { op: 'delete-usage-plan', planId: 'p-none', apiStages: [] },
      { op: 'detach-api-key', planId: 'p-served', keyId: 'k-p', name: 'prod-key' },
      { op: 'delete-usage-plan', planId: 'p-served', apiStages: [{ apiId: 'a-gone', stage: 'prod' }] },
      // a key of the staging stage no plan serves goes; the prod stage's key stays with its live plan
      { op: 'delete-api-key', keyId: 'k-s', name: 'staging-key' }
    ])
  })

  it("sweeps a stray plan of its own stage, and without api-keys deletes the stage's keys it held", () => {
    const found: KeysDiscovery = {
      plans: [usagePlan('p-old', [['a-gone', 'dev']])],
      keys: [key('k-a', 'alpha'), key('k-b', 'beta')],
      attached: [],
      attachedTo: new Map([['p-old', ['k-a']]]),
      gone: ['a-gone']
    }
    expect(plan({}, found).steps).toEqual([
      { op: 'detach-api-key', planId: 'p-old', keyId: 'k-a', name: 'alpha' },
      { op: 'delete-usage-plan', planId: 'p-old', apiStages: [{ apiId: 'a-gone', stage: 'dev' }] },
      { op: 'delete-api-key', keyId: 'k-a', name: 'alpha' }
    ])
    // with api-keys, the stage's keys are decided as any key of the stage: alpha is kept, beta goes
    expect(plan({ 'api-keys': 'alpha' }, found).steps).toEqual([
      { op: 'detach-api-key', planId: 'p-old', keyId: 'k-a', name: 'alpha' },
      { op: 'delete-usage-plan', planId: 'p-old', apiStages: [{ apiId: 'a-gone', stage: 'dev' }] },
      {
        op: 'create-usage-plan',
        name: 'cortex-dev',
        stage: 'dev',
        quota: undefined,
        throttle: undefined,
        tags: DEV
      },
      { op: 'attach-api-key', name: 'alpha', keyId: 'k-a', planId: undefined },
      { op: 'delete-api-key', keyId: 'k-b', name: 'beta' }
    ])
  })

  it("takes for the stage's plan the one serving its API stage, never a plan of the stage serving nothing", () => {
    // p-none is a stray (docs/ownership.md, "Orphans"): swept, even listed first; p1 is the stage's plan
    const found: KeysDiscovery = {
      plans: [usagePlan('p-none', []), usagePlan('p1', [['a1', 'dev']])],
      keys: [key('k-a', 'alpha')],
      attached: ['k-a'],
      attachedTo: new Map([['p-none', []]])
    }
    expect(plan({ 'api-keys': 'alpha' }, found).steps).toEqual([
      { op: 'delete-usage-plan', planId: 'p-none', apiStages: [] }
    ])
  })

  it("keeps a stray's keys while a plan of their stage serves a live API, beside a gone one", () => {
    const PROD = { ...OWNED, [STAGE]: 'prod' }
    const found: KeysDiscovery = {
      plans: [
        usagePlan('p1', [['a1', 'dev']]),
        usagePlan('p-gone', [['a-gone', 'prod']], { tags: PROD }),
        // still serving: a2's prod stage lives
        usagePlan(
          'p-twin',
          [
            ['a-gone', 'prod'],
            ['a2', 'prod']
          ],
          { tags: PROD }
        )
      ],
      keys: [key('k-a', 'alpha'), key('k-p', 'prod-key', PROD)],
      attached: ['k-a'],
      attachedTo: new Map([['p-gone', ['k-p']]]),
      gone: ['a-gone']
    }
    expect(plan({ 'api-keys': 'alpha' }, found).steps).toEqual([
      { op: 'detach-api-key', planId: 'p-gone', keyId: 'k-p', name: 'prod-key' },
      { op: 'delete-usage-plan', planId: 'p-gone', apiStages: [{ apiId: 'a-gone', stage: 'prod' }] }
    ])
  })

  it('deletes a dropped key of its own that the plan does not hold without taking it off the plan', () => {
    const found = {
      plans: [usagePlan('p1', [['a1', 'dev']])],
      keys: [key('k-a', 'alpha'), key('k-d', 'delta')],
      attached: ['k-a']
    }
    expect(plan({ 'api-keys': 'alpha' }, found).steps).toEqual([
      { op: 'delete-api-key', keyId: 'k-d', name: 'delta' }
    ])
  })

  it('with api-keys dropped, reports no key and no note; a key on the plan not listed is taken off by its id', () => {
    // k-new: attached after the keys were listed (by a person): it is theirs, only taken off
    const found = {
      plans: [usagePlan('p1', [['a1', 'dev']])],
      keys: [key('k-a', 'alpha')],
      attached: ['k-a', 'k-new']
    }
    const p = plan({}, found)
    expect(p).toEqual({
      steps: [
        { op: 'detach-api-key', planId: 'p1', keyId: 'k-a', name: 'alpha' },
        { op: 'detach-api-key', planId: 'p1', keyId: 'k-new', name: 'k-new' },
        { op: 'delete-api-key', keyId: 'k-a', name: 'alpha' },
        { op: 'delete-usage-plan', planId: 'p1', apiStages: [{ apiId: 'a1', stage: 'dev' }] }
      ],
      existing: [],
      notes: []
    })
  })
})

describe('planKeysDelete', () => {
  it("deletes the plans of the APIs it removes, their keys taken off first, and the gateway's keys", () => {
    const found: KeysDiscovery = {
      plans: [
        usagePlan('p1', [['a1', 'dev']]),
        usagePlan('p-shared', [
          ['a1', 'prod'],
          ['b1', 'prod']
        ]),
        usagePlan('p-b', [['b1', 'dev']], { tags: { ...OWNED, 'cortex-rest-gateway:api-name': 'other' } }),
        usagePlan('p-hand', [['a1', 'qa']], { tags: {} })
      ],
      keys: [
        key('k-a', 'alpha'),
        key('k-s', 'shared', { ...OWNED, [STAGE]: 'prod' }),
        key('k-h', 'hand', {}),
        key('k-x', 'other-gateway', { ...OWNED, 'cortex-rest-gateway:api-name': 'other' })
      ],
      attached: [],
      attachedTo: new Map([
        ['p1', ['k-a', 'k-h']],
        ['p-shared', ['k-s']]
      ])
    }
    expect(planKeysDelete('local', 'cortex', ['a1'], found)).toEqual([
      { op: 'detach-api-key', planId: 'p1', keyId: 'k-a', name: 'alpha' },
      { op: 'detach-api-key', planId: 'p1', keyId: 'k-h', name: 'hand' },
      { op: 'delete-usage-plan', planId: 'p1', apiStages: [{ apiId: 'a1', stage: 'dev' }] },
      // a plan that also serves an API that stays loses only this API's stage, and keeps its keys
      {
        op: 'update-usage-plan',
        planId: 'p-shared',
        patches: [{ op: 'remove', path: '/apiStages', value: 'a1:prod' }],
        changes: [{ what: 'API stages', from: 'a1:prod b1:prod', to: 'b1:prod' }]
      },
      { op: 'delete-api-key', keyId: 'k-a', name: 'alpha' }
    ])
    expect(planKeysDelete('local', 'cortex', ['a1'], undefined)).toEqual([])
  })

  it("sweeps the gateway's plans serving nothing, whatever API they served", () => {
    const found: KeysDiscovery = {
      plans: [usagePlan('p-gone', [['a-gone', 'dev']]), usagePlan('p-none', [])],
      keys: [key('k-a', 'alpha')],
      attached: [],
      attachedTo: new Map([['p-gone', ['k-a']]]),
      gone: ['a-gone']
    }
    expect(planKeysDelete('local', 'cortex', ['a1'], found)).toEqual([
      { op: 'detach-api-key', planId: 'p-gone', keyId: 'k-a', name: 'alpha' },
      { op: 'delete-usage-plan', planId: 'p-gone', apiStages: [{ apiId: 'a-gone', stage: 'dev' }] },
      { op: 'delete-usage-plan', planId: 'p-none', apiStages: [] },
      { op: 'delete-api-key', keyId: 'k-a', name: 'alpha' }
    ])
  })

  it('names a key it takes off a plan by its id where the listing of keys did not hold it', () => {
    const found: KeysDiscovery = {
      plans: [usagePlan('p1', [['a1', 'dev']])],
      keys: [key('k-a', 'alpha')],
      attached: [],
      attachedTo: new Map([['p1', ['k-new', 'k-a']]])
    }
    expect(planKeysDelete('local', 'cortex', ['a1'], found)).toEqual([
      { op: 'detach-api-key', planId: 'p1', keyId: 'k-new', name: 'k-new' },
      { op: 'detach-api-key', planId: 'p1', keyId: 'k-a', name: 'alpha' },
      { op: 'delete-usage-plan', planId: 'p1', apiStages: [{ apiId: 'a1', stage: 'dev' }] },
      { op: 'delete-api-key', keyId: 'k-a', name: 'alpha' }
    ])
  })
})

it('api-key-ids: name=id a line, in the order of api-keys, for the keys there are', () => {
  expect(
    apiKeyIdsOutput(
      ['beta', 'alpha', 'missing'],
      [
        { name: 'alpha', id: 'k-a' },
        { name: 'beta', id: 'k-b' }
      ]
    )
  ).toBe('beta=k-b\nalpha=k-a')
})
