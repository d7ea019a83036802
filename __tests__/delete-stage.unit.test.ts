/** The delete plan with `stage`: that stage of an API that keeps others, an API whole only with its last. */
import { describe, expect, it } from '@jest/globals'
import type { DeleteConfig } from '../src/config/inputs.js'
import { planDelete, type DeleteDiscovery } from '../src/core/plan.js'
import { describeStep } from '../src/engine/steps.js'
import type { ResourceState, RestApiSummary, StageState, VpcLink } from '../src/model/model.js'
import { configFrom } from './support/inputs.js'

// made by this repository (configFrom runs outside one: the 'local' owner)
const OURS = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'local'
}
const GATEWAY = { ...OURS, 'cortex-rest-gateway:api-name': 'cortex' }
const api = (id: string, tags: Record<string, string> = GATEWAY): RestApiSummary => ({
  id,
  name: 'cortex',
  tags,
  endpointTypes: ['REGIONAL']
})
const stage = (name: string, tags: Record<string, string> = OURS): StageState => ({ name, tags })
// the API goes through link l1 (made for the gateway)
const THROUGH_L1: ResourceState[] = [
  {
    id: 'r',
    path: '/',
    methods: {
      ANY: { responses: {}, integration: { type: 'HTTP_PROXY', connectionId: 'l1', responses: {} } }
    }
  }
]
const L1: VpcLink = {
  version: 'v1',
  id: 'l1',
  name: 'l1',
  status: 'AVAILABLE',
  targetArns: ['arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex/1'],
  subnetIds: [],
  securityGroupIds: [],
  tags: GATEWAY
}

function found(stages: StageState[], more: Partial<DeleteDiscovery> = {}): DeleteDiscovery {
  return {
    sameName: [api('a1')],
    vpcLinks: [L1],
    contents: new Map([['a1', { resources: THROUGH_L1, stages }]]),
    linkUsers: new Map(),
    ours: [api('a1')],
    ...more
  }
}

const deleting = (stageName?: string) =>
  configFrom({
    mode: 'delete',
    region: 'us-west-2',
    ...(stageName ? { stage: stageName } : {})
  }) as DeleteConfig

describe('planDelete with stage', () => {
  it('deletes that stage only when the API has another; the link it goes through stays', () => {
    const plan = planDelete(deleting('prod'), found([stage('dev'), stage('prod')]))
    expect(plan.steps).toEqual([{ op: 'delete-stage', apiId: 'a1', stage: 'prod' }])
    expect(plan.stages).toEqual([{ apiId: 'a1', name: 'prod' }])
    expect(plan.notes).toEqual(['Deleting stage prod of REST API a1 only: the API stays, with stage(s) dev'])
    expect(describeStep(plan.steps[0])).toBe('delete stage "prod" of REST API a1')
  })

  it('takes the API, and its link, with its last stage (or when it has none)', () => {
    const whole = [
      { op: 'delete-api', apiId: 'a1' },
      { op: 'delete-vpc-link', vpcLinkId: 'l1', version: 'v1' }
    ]
    const last = planDelete(deleting('prod'), found([stage('prod')]))
    expect(last.steps).toEqual(whole)
    expect(last.stages).toEqual([{ apiId: 'a1', name: 'prod' }])
    expect(last.notes).toEqual(['Stage prod is the last stage of REST API a1: the API goes with it'])
    expect(planDelete(deleting('prod'), found([])).steps).toEqual(whole)
    // without stage: the whole gateway, every stage
    const all = planDelete(deleting(), found([stage('dev'), stage('prod')]))
    expect(all.steps).toEqual(whole)
    expect(all.stages).toEqual([
      { apiId: 'a1', name: 'dev' },
      { apiId: 'a1', name: 'prod' }
    ])
  })

  it('warns, with its last stage, of what a person added to the API that goes with it', () => {
    const added: ResourceState[] = [...THROUGH_L1, { id: 'h', path: '/health', methods: {} }]
    const plan = planDelete(
      deleting('prod'),
      found([stage('prod')], { contents: new Map([['a1', { resources: added, stages: [stage('prod')] }]]) })
    )
    expect(plan.steps.map(s => s.op)).toEqual(['delete-api', 'delete-vpc-link'])
    expect(plan.warnings).toEqual([
      'Deleting REST API a1 also removes what this action did not put there: resource /health'
    ])
  })

  it('leaves a stage the action did not make, and its API, alone', () => {
    for (const others of [[], [stage('dev')]]) {
      const plan = planDelete(deleting('prod'), found([...others, stage('prod', {})]))
      expect(plan.steps).toEqual([])
      expect(plan.notes).toEqual([
        'Left alone: stage prod of REST API a1, which this action did not make (nor is the API deleted with it)'
      ])
    }
  })

  it('deletes nothing of a stage the API does not have', () => {
    const plan = planDelete(deleting('qa'), found([stage('dev'), stage('prod')]))
    expect(plan.steps).toEqual([])
    expect(plan.stages).toEqual([])
  })

  it("takes the stage's usage plan, and the keys made for it, off first; the web ACL; the stage last", () => {
    const keyTags = (s: string) => ({ ...GATEWAY, 'cortex-rest-gateway:stage': s })
    const plan = planDelete(
      deleting('prod'),
      found(
        [stage('dev'), stage('prod', { ...OURS, 'cortex-rest-gateway:stage-settings': 'api-keys waf' })],
        {
          keys: {
            plans: [
              {
                id: 'p-prod',
                name: 'cortex-prod',
                apiStages: [{ apiId: 'a1', stage: 'prod' }],
                tags: GATEWAY
              },
              { id: 'p-dev', name: 'cortex-dev', apiStages: [{ apiId: 'a1', stage: 'dev' }], tags: GATEWAY },
              // a person's plan that serves prod too: not the action's to touch
              { id: 'p-theirs', name: 'theirs', apiStages: [{ apiId: 'a1', stage: 'prod' }], tags: {} }
            ],
            keys: [
              { id: 'k-prod', name: 'team-prod', tags: keyTags('prod') },
              { id: 'k-dev', name: 'team-dev', tags: keyTags('dev') },
              { id: 'k-theirs', name: 'team-prod', tags: {} }
            ],
            attached: [],
            attachedTo: new Map([
              ['p-prod', ['k-prod', 'k-theirs']],
              ['p-dev', ['k-dev']]
            ])
          }
        }
      )
    )
    expect(plan.steps).toEqual([
      { op: 'detach-api-key', planId: 'p-prod', keyId: 'k-prod', name: 'team-prod' },
      { op: 'detach-api-key', planId: 'p-prod', keyId: 'k-theirs', name: 'team-prod' },
      { op: 'delete-usage-plan', planId: 'p-prod', apiStages: [{ apiId: 'a1', stage: 'prod' }] },
      { op: 'delete-api-key', keyId: 'k-prod', name: 'team-prod' },
      { op: 'disassociate-stage-web-acl', apiId: 'a1', stage: 'prod' },
      { op: 'delete-stage', apiId: 'a1', stage: 'prod' }
    ])
  })

  it('a plan of the action serving another stage too only loses this one, and keeps its keys', () => {
    const plan = planDelete(
      deleting('prod'),
      found([stage('dev'), stage('prod')], {
        keys: {
          plans: [
            {
              id: 'p',
              name: 'both',
              apiStages: [
                { apiId: 'a1', stage: 'dev' },
                { apiId: 'a1', stage: 'prod' }
              ],
              tags: GATEWAY
            }
          ],
          keys: [{ id: 'k', name: 'team', tags: { ...GATEWAY, 'cortex-rest-gateway:stage': 'prod' } }],
          attached: [],
          attachedTo: new Map([['p', ['k']]])
        }
      })
    )
    expect(plan.steps).toEqual([
      {
        op: 'update-usage-plan',
        planId: 'p',
        patches: [{ op: 'remove', path: '/apiStages', value: 'a1:prod' }],
        changes: [{ what: 'API stages', from: 'a1:dev a1:prod', to: 'a1:dev' }]
      },
      { op: 'delete-stage', apiId: 'a1', stage: 'prod' }
    ])
  })

  it("unmaps the custom domain from the stage (the domain, ours, with it) and untags the API's domain tags", () => {
    const served = api('a1', {
      ...GATEWAY,
      'cortex-rest-gateway:domain-name': 'api.example.com',
      'cortex-rest-gateway:base-path': 'v1'
    })
    const onStage = (mapped: string) =>
      found([stage('dev'), stage('prod')], {
        sameName: [served],
        ours: [served],
        domain: {
          domains: new Map([
            [
              'api.example.com',
              {
                name: 'api.example.com',
                domain: { name: 'api.example.com', endpointType: 'REGIONAL', tags: OURS },
                mappings: [{ basePath: 'v1', restApiId: 'a1', stage: mapped }]
              }
            ]
          ]),
          dns: new Map()
        }
      })
    expect(planDelete(deleting('prod'), onStage('prod')).steps).toEqual([
      { op: 'unmap-base-path', name: 'api.example.com', basePath: 'v1', restApiId: 'a1' },
      { op: 'delete-domain', name: 'api.example.com' },
      {
        op: 'untag-api-domain',
        apiId: 'a1',
        keys: ['cortex-rest-gateway:domain-name', 'cortex-rest-gateway:base-path']
      },
      { op: 'delete-stage', apiId: 'a1', stage: 'prod' }
    ])
    // mapped to the stage that stays: the domain stays with it
    expect(planDelete(deleting('prod'), onStage('dev')).steps).toEqual([
      { op: 'delete-stage', apiId: 'a1', stage: 'prod' }
    ])
  })
})
