/**
 * planStageDelete on its own: the APIs a delete with `stage` would take, split into those that go whole and
 * those that lose the stage, with the notes, warnings and stages written out by hand.
 */
import { describe, expect, it } from '@jest/globals'
import type { DeleteDiscovery } from '../src/core/plan.js'
import { planStageDelete } from '../src/features/stage/plan.js'
import type { BasePathMapping, RestApiSummary, StageState } from '../src/model/model.js'

const OURS = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'octo/app'
}
const config = { owner: 'octo/app', apiName: 'web', region: 'us-west-2', stage: 'prod' }
const api = (id: string, tags: Record<string, string> = OURS): RestApiSummary => ({
  id,
  name: 'web',
  tags,
  endpointTypes: ['REGIONAL']
})
const stage = (name: string, tags: Record<string, string> = OURS): StageState => ({ name, tags })
const found = (contents: [string, StageState[]][], more: Partial<DeleteDiscovery> = {}): DeleteDiscovery => ({
  sameName: [],
  vpcLinks: [],
  contents: new Map(contents.map(([id, stages]) => [id, { resources: [], stages }])),
  linkUsers: new Map(),
  ours: [],
  ...more
})

describe('planStageDelete', () => {
  it('splits the APIs: whole with their last stage or none, the others losing the stage alone', () => {
    const apis = [api('a1'), api('a2'), api('a3'), api('a4')]
    const out = planStageDelete(
      config,
      found([
        ['a1', [stage('prod')]],
        ['a2', [stage('dev'), stage('prod'), stage('qa')]],
        ['a3', [stage('dev'), stage('prod', {})]]
      ]),
      apis
    )
    expect(out).toEqual({
      whole: [apis[0], apis[3]],
      staying: [apis[1], apis[2]],
      steps: [{ op: 'delete-stage', apiId: 'a2', stage: 'prod' }],
      notes: [
        'Stage prod is the last stage of REST API a1: the API goes with it',
        'Deleting stage prod of REST API a2 only: the API stays, with stage(s) dev, qa',
        'Left alone: stage prod of REST API a3, which this action did not make (nor is the API deleted with it)',
        'REST API a4 has no stage: it goes'
      ],
      warnings: [],
      stages: [{ apiId: 'a2', name: 'prod' }]
    })
  })

  it('an API without the stage that has others: nothing of it goes', () => {
    const out = planStageDelete(config, found([['a1', [stage('dev')]]]), [api('a1')])
    expect(out).toEqual({
      whole: [],
      staying: [api('a1')],
      steps: [],
      notes: ['Deleting stage prod of REST API a1 only: the API stays, with stage(s) dev'],
      warnings: [],
      stages: []
    })
  })

  const served = api('a1', {
    ...OURS,
    'cortex-rest-gateway:domain-name': 'api.example.com',
    'cortex-rest-gateway:base-path': 'v1'
  })
  const onDomain = (mappings: BasePathMapping[], domainTags: Record<string, string> = OURS) =>
    found([['a1', [stage('dev'), stage('prod')]]], {
      domain: {
        domains: new Map([
          [
            'api.example.com',
            {
              name: 'api.example.com',
              domain: { name: 'api.example.com', endpointType: 'REGIONAL', tags: domainTags },
              mappings
            }
          ]
        ]),
        dns: new Map()
      }
    })

  it("leaves the domain when the action's mapping serves the stage, another API's mapping beside it", () => {
    const out = planStageDelete(
      config,
      onDomain([
        { basePath: 'v1', restApiId: 'a1', stage: 'prod' },
        { basePath: 'v2', restApiId: 'other', stage: 'dev' }
      ]),
      [served]
    )
    expect(out.steps).toEqual([
      { op: 'unmap-base-path', name: 'api.example.com', basePath: 'v1', restApiId: 'a1' },
      { op: 'delete-domain', name: 'api.example.com', ifLast: true },
      {
        op: 'untag-api-domain',
        apiId: 'a1',
        keys: ['cortex-rest-gateway:domain-name', 'cortex-rest-gateway:base-path']
      },
      { op: 'delete-stage', apiId: 'a1', stage: 'prod' }
    ])
    expect(out.notes.slice(1)).toEqual([
      'Custom domain api.example.com also serves REST API other: it stays unless nothing is mapped onto it ' +
        'once this gateway has left (read again then)'
    ])
  })

  it("passes on the warnings of leaving a domain that is not the action's", () => {
    const out = planStageDelete(config, onDomain([{ basePath: 'v1', restApiId: 'a1', stage: 'prod' }], {}), [
      served
    ])
    expect(out.warnings).toEqual([
      "Base path 'v1' of custom domain api.example.com still maps REST API a1: the domain is not made by this " +
        'action, so it is left as it is'
    ])
  })

  it('keeps the mapping, and the tags, when the mapping the action made serves another stage', () => {
    const out = planStageDelete(
      config,
      onDomain([
        { basePath: 'v1', restApiId: 'a1', stage: 'dev' },
        { basePath: 'v2', restApiId: 'a1', stage: 'prod' }
      ]),
      [served]
    )
    expect(out.steps).toEqual([{ op: 'delete-stage', apiId: 'a1', stage: 'prod' }])
  })

  it('another API at the base path it recorded (its own mapping gone) is not its own: left, the tags go', () => {
    const out = planStageDelete(config, onDomain([{ basePath: 'v1', restApiId: 'other', stage: 'dev' }]), [
      served
    ])
    expect(out.steps).toEqual([
      { op: 'delete-domain', name: 'api.example.com', ifLast: true },
      {
        op: 'untag-api-domain',
        apiId: 'a1',
        keys: ['cortex-rest-gateway:domain-name', 'cortex-rest-gateway:base-path']
      },
      { op: 'delete-stage', apiId: 'a1', stage: 'prod' }
    ])
    expect(out.warnings).toEqual([])
  })

  it('untags the API whose domain is not read (gone): its tags point nowhere', () => {
    const out = planStageDelete(config, found([['a1', [stage('dev'), stage('prod')]]]), [served])
    expect(out.steps).toEqual([
      {
        op: 'untag-api-domain',
        apiId: 'a1',
        keys: ['cortex-rest-gateway:domain-name', 'cortex-rest-gateway:base-path']
      },
      { op: 'delete-stage', apiId: 'a1', stage: 'prod' }
    ])
  })

  it('a gateway from before the base path was recorded, with two mappings: neither is taken, the tag goes', () => {
    const legacy = api('a1', { ...OURS, 'cortex-rest-gateway:domain-name': 'api.example.com' })
    const out = planStageDelete(
      config,
      onDomain([
        { basePath: 'v1', restApiId: 'a1', stage: 'prod' },
        { basePath: 'v2', restApiId: 'a1', stage: 'dev' }
      ]),
      [legacy]
    )
    expect(out.steps).toEqual([
      { op: 'delete-domain', name: 'api.example.com', ifLast: true },
      { op: 'untag-api-domain', apiId: 'a1', keys: ['cortex-rest-gateway:domain-name'] },
      { op: 'delete-stage', apiId: 'a1', stage: 'prod' }
    ])
    expect(out.warnings).toHaveLength(2)
  })

  it("a legacy gateway (no base path recorded): its only mapping is the action's, another API's beside it", () => {
    const legacy = api('a1', { ...OURS, 'cortex-rest-gateway:domain-name': 'api.example.com' })
    const out = planStageDelete(
      config,
      onDomain([
        { basePath: 'v1', restApiId: 'a1', stage: 'prod' },
        { basePath: 'v2', restApiId: 'other', stage: 'dev' }
      ]),
      [legacy]
    )
    expect(out.steps).toEqual([
      { op: 'unmap-base-path', name: 'api.example.com', basePath: 'v1', restApiId: 'a1' },
      { op: 'delete-domain', name: 'api.example.com', ifLast: true },
      { op: 'untag-api-domain', apiId: 'a1', keys: ['cortex-rest-gateway:domain-name'] },
      { op: 'delete-stage', apiId: 'a1', stage: 'prod' }
    ])
    expect(out.warnings).toEqual([])
  })
})
