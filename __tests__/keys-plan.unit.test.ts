/**
 * The API keys as a feature of the create plan (src/features/keys/plan-feature.ts), and the keys'
 * planners given a discovery that did not list what each plan holds (`attachedTo` absent: the type
 * allows it; discovery fills it in). README "REST settings" and docs/ownership.md ("Usage plans and
 * API keys"); expected values written out.
 */
import { describe, expect, it } from '@jest/globals'
import type { CreateConfig } from '../src/config/inputs.js'
import type { CreateDiscovery } from '../src/core/plan.js'
import { planKeysFeature } from '../src/features/keys/plan-feature.js'
import { planKeys, planKeysDelete, type KeysDiscovery, type KeyStep } from '../src/features/keys/plan.js'
import type { ApiKey, LoadBalancer, RestApiSummary } from '../src/model/model.js'
import { configFrom } from './support/inputs.js'

// made by this repository (configFrom runs outside one: the 'local' owner) for the gateway `cortex`
const OWNED = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'local',
  'cortex-rest-gateway:api-name': 'cortex'
}
const DEV = { ...OWNED, 'cortex-rest-gateway:stage': 'dev' }
const QA = { ...OWNED, 'cortex-rest-gateway:stage': 'qa' }
const DNS = 'cortex-1.elb.us-west-2.amazonaws.com'
const LB: LoadBalancer = {
  arn: 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex/0123456789abcdef',
  name: 'cortex',
  dnsName: DNS,
  scheme: 'internet-facing',
  type: 'network',
  subnetIds: [],
  securityGroupIds: []
}
const API: RestApiSummary = { id: 'a1', name: 'cortex', tags: OWNED, endpointTypes: ['REGIONAL'] }

describe('the API keys feature of the create plan', () => {
  it('reports the keys of api-keys that exist, in its order; the stage part makes the others', () => {
    const alpha: ApiKey = { id: 'k-a', name: 'alpha', tags: DEV }
    const beta: ApiKey = { id: 'k-b', name: 'beta', tags: DEV }
    const found: CreateDiscovery = {
      loadBalancer: LB,
      sameName: [API],
      keys: {
        plans: [{ id: 'p1', name: 'cortex-dev', apiStages: [{ apiId: 'a1', stage: 'dev' }], tags: DEV }],
        // a person's gamma is not ours: a new gamma is made
        keys: [alpha, beta, { id: 'k-g', name: 'gamma', tags: {} }],
        attached: ['k-a', 'k-b']
      }
    }
    const config = configFrom({ 'load-balancer': DNS, 'api-keys': 'beta, alpha, gamma' }) as CreateConfig
    const feature = planKeysFeature({ config, found, existing: API, tags: OWNED, twinIds: [] })
    // what the api-key-ids output is made of, with the keys the run makes
    expect(feature.report).toEqual({ apiKeys: [beta, alpha] })
    expect(feature.parts).toEqual({
      stage: {
        steps: [
          { op: 'create-api-key', name: 'gamma', tags: DEV },
          { op: 'attach-api-key', name: 'gamma', planId: 'p1' }
        ],
        warnings: [],
        notes: ['API key "gamma" exists but was not made by this action: a new one is made']
      }
    })
  })
})

describe('with no list of the keys each plan holds', () => {
  // the stage's plan p1 on API a1; a stray of the gateway's qa stage on a gone API; another API's plan of ours
  const found: KeysDiscovery = {
    plans: [
      { id: 'p1', name: 'cortex-dev', apiStages: [{ apiId: 'a1', stage: 'dev' }], tags: DEV },
      { id: 'p-gone', name: 'cortex-qa', apiStages: [{ apiId: 'a-gone', stage: 'qa' }], tags: QA },
      { id: 'p-b', name: 'cortex-dev', apiStages: [{ apiId: 'b1', stage: 'dev' }], tags: DEV }
    ],
    keys: [{ id: 'k-a', name: 'alpha', tags: DEV }],
    attached: ['k-a'],
    gone: ['a-gone']
  }
  const settings = (inputs: Record<string, string>) =>
    (configFrom({ 'load-balancer': DNS, ...inputs }) as CreateConfig).settings
  const create = (): KeyStep[] =>
    planKeys({
      owner: 'local',
      apiName: 'cortex',
      apiId: 'a1',
      stage: 'dev',
      settings: settings({ 'api-keys': 'alpha' }),
      found,
      tags: OWNED
    }).steps

  it.each<[string, () => KeyStep[], KeyStep[]]>([
    [
      'a create sweeps the stray with no key taken off, and deletes none',
      create,
      [{ op: 'delete-usage-plan', planId: 'p-gone', apiStages: [{ apiId: 'a-gone', stage: 'qa' }] }]
    ],
    [
      "a delete removes the API's plan and the stray with no key taken off, and the gateway's keys",
      () => planKeysDelete('local', 'cortex', ['a1'], found),
      [
        { op: 'delete-usage-plan', planId: 'p1', apiStages: [{ apiId: 'a1', stage: 'dev' }] },
        { op: 'delete-usage-plan', planId: 'p-gone', apiStages: [{ apiId: 'a-gone', stage: 'qa' }] },
        { op: 'delete-api-key', keyId: 'k-a', name: 'alpha' }
      ]
    ]
  ])('%s', (_, run, expected) => {
    expect(run()).toEqual(expected)
  })
})
