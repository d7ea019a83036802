/**
 * The delete plan (src/core/plan-delete.ts) as docs/ownership.md and the README describe it: this
 * repository's API of the name goes, with its custom domain's mapping and its keys before it and the
 * links of ours it leaves unused after it; with delete-on-exit only what the main step made; what a
 * person added to the API is named in a warning; nothing of anyone else's is touched. Expected
 * values are written out.
 */
import { describe, expect, it } from '@jest/globals'
import type { DeleteConfig } from '../src/config/inputs.js'
import { isCleanup, planDelete, type DeleteDiscovery, type Step } from '../src/core/plan.js'
import { markerRecord } from '../src/features/domain/plan.js'
import { dnsKey, type DomainDiscovery, type RestApiSummary, type VpcLink } from '../src/model/model.js'
import { configFrom } from './support/inputs.js'

// made by this repository (configFrom runs outside one: the 'local' owner)
const OURS = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'local'
}
const OWNED = { ...OURS, 'cortex-rest-gateway:api-name': 'cortex' }
const OTHER_REPO = { ...OWNED, 'cortex-rest-gateway:repository': 'octo/other' }
const NLB = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex/internal'

const config = configFrom({ mode: 'delete', region: 'us-west-2' }) as DeleteConfig
/** delete-on-exit: the post step deletes only what its main step made. */
const onExit = (apiIds: string[], vpcLinkIds: string[]): DeleteConfig => ({
  ...config,
  only: { apiIds, vpcLinkIds }
})

const api = (id: string, tags: Record<string, string> = OWNED, name = 'cortex'): RestApiSummary => ({
  id,
  name,
  tags,
  endpointTypes: ['REGIONAL'],
  rootResourceId: 'root',
  createdDate: new Date(1000)
})
const link = (id: string, tags: Record<string, string>): VpcLink => ({
  version: 'v1',
  id,
  name: id,
  status: 'AVAILABLE',
  targetArns: [NLB],
  subnetIds: [],
  securityGroupIds: [],
  tags
})
/** An ANY method proxied to the load balancer, through `connectionId` when given. */
const any = (connectionId?: string) => ({
  responses: {},
  integration: { type: 'HTTP_PROXY', responses: {}, ...(connectionId ? { connectionId } : {}) }
})
const nothing = (): DeleteDiscovery => ({
  sameName: [],
  vpcLinks: [],
  contents: new Map(),
  linkUsers: new Map(),
  ours: []
})
const ops = (steps: Step[]) =>
  steps.map(s => `${s.op} ${'apiId' in s ? s.apiId : 'vpcLinkId' in s ? String(s.vpcLinkId) : ''}`)

describe('which APIs and links a delete takes', () => {
  it.each([
    // [what the case is, the config, the APIs of the name, the links, the steps]
    ['the whole gateway: every API of ours of the name', config, ['a1', 'a2'], ['l1'], ['a1', 'a2', 'l1']],
    [
      'delete-on-exit: only the API its step made, and no link',
      onExit(['a2'], []),
      ['a1', 'a2'],
      ['l1'],
      ['a2']
    ],
    ['delete-on-exit: only the link its step made', onExit([], ['l1']), ['a1'], ['l1'], ['l1']],
    ['delete-on-exit: both its step made', onExit(['a1'], ['l1']), ['a1', 'a2'], ['l1'], ['a1', 'l1']]
  ])('%s', (_, cfg, apis, links, want) => {
    const found = {
      ...nothing(),
      sameName: apis.map(id => api(id)),
      vpcLinks: links.map(id => link(id, OWNED)),
      ours: apis.map(id => api(id))
    }
    const plan = planDelete(cfg, found)
    expect(plan.steps.map(s => ('apiId' in s ? s.apiId : 'vpcLinkId' in s ? s.vpcLinkId : s.op))).toEqual(
      want
    )
  })

  it('with delete-on-exit names the API of ours its step did not make, left alone', () => {
    const found = { ...nothing(), sameName: [api('a1'), api('a2')], ours: [api('a1'), api('a2')] }
    expect(planDelete(onExit(['a2'], []), found).notes).toEqual([
      'Left alone: REST API a1, which this step did not make'
    ])
    expect(planDelete(config, found).notes).toEqual([])
  })

  it('names the same-named APIs of others it leaves, each with whose it is, in one note', () => {
    const found = {
      ...nothing(),
      sameName: [api('a1'), api('h1', {}), api('r1', OTHER_REPO)],
      ours: [api('a1')]
    }
    const plan = planDelete(config, found)
    expect(plan.steps).toEqual([{ op: 'delete-api', apiId: 'a1' }])
    expect(plan.notes).toEqual([
      'Left alone: REST API named "cortex" h1 (not made by this action), ' +
        'r1 (made by this action from repository octo/other)'
    ])
  })

  it('takes a link of ours only when made for the gateway, used by its API or orphaned; never a link of others', () => {
    const found: DeleteDiscovery = {
      ...nothing(),
      sameName: [api('a1')],
      vpcLinks: [
        link('made-for-it', OWNED),
        link('used', { ...OURS, 'cortex-rest-gateway:api-name': 'live' }),
        link('orphan', { ...OURS, 'cortex-rest-gateway:api-name': 'gone' }),
        link('another-gateways', { ...OURS, 'cortex-rest-gateway:api-name': 'live' }),
        link('a-persons', {}),
        link('other-repos', OTHER_REPO)
      ],
      contents: new Map([
        [
          'a1',
          {
            resources: [
              { id: 'r', path: '/', methods: { ANY: any('used') } },
              { id: 'p', path: '/{proxy+}', methods: { ANY: any('a-persons') } }
            ],
            stages: []
          }
        ]
      ]),
      ours: [api('a1'), api('l1', OWNED, 'live')]
    }
    const plan = planDelete(config, found)
    expect(ops(plan.steps)).toEqual([
      'delete-api a1',
      'delete-vpc-link made-for-it',
      'delete-vpc-link used',
      'delete-vpc-link orphan'
    ])
    // the link a person made that the API went through is named, and stays
    expect(plan.notes).toEqual(['VPC link a-persons is left alone: not made by this action'])
  })

  it('takes along the link another gateway made, which the API it deletes went through, with delete-on-exit', () => {
    const found: DeleteDiscovery = {
      ...nothing(),
      sameName: [api('a1')],
      vpcLinks: [link('used', { ...OURS, 'cortex-rest-gateway:api-name': 'live' })],
      contents: new Map([
        ['a1', { resources: [{ id: 'r', path: '/', methods: { ANY: any('used') } }], stages: [] }]
      ]),
      ours: [api('a1'), api('l1', OWNED, 'live')]
    }
    expect(ops(planDelete(onExit(['a1'], []), found).steps)).toEqual([
      'delete-api a1',
      'delete-vpc-link used'
    ])
  })
})

describe('what a person added to the API', () => {
  it("lists the API's stages, and warns of the stages, resources and methods the action did not make", () => {
    const found: DeleteDiscovery = {
      ...nothing(),
      sameName: [api('a1'), api('a2')],
      contents: new Map([
        [
          'a1',
          {
            resources: [
              { id: 'r', path: '/', methods: { ANY: any(), OPTIONS: any(), GET: any() } },
              { id: 'p', path: '/{proxy+}', methods: { ANY: any(), POST: any() } },
              { id: 'h', path: '/health', methods: { GET: any() } }
            ],
            stages: [
              { name: 'dev', tags: OWNED },
              { name: 'prod', tags: {} }
            ]
          }
        ],
        ['a2', { resources: [{ id: 'r', path: '/', methods: { ANY: any(), OPTIONS: any() } }], stages: [] }]
      ]),
      ours: [api('a1'), api('a2')]
    } as DeleteDiscovery
    const plan = planDelete(config, found)
    expect(plan.stages).toEqual([
      { apiId: 'a1', name: 'dev' },
      { apiId: 'a1', name: 'prod' }
    ])
    expect(plan.warnings).toEqual([
      'Deleting REST API a1 also removes what this action did not put there: ' +
        'stage prod, method GET /, method POST /{proxy+}, resource /health'
    ])
  })

  it('warns of nothing for a gateway as the action made it', () => {
    const found = {
      ...nothing(),
      sameName: [api('a1')],
      contents: new Map([
        [
          'a1',
          {
            resources: [
              { id: 'r', path: '/', methods: { ANY: any(), OPTIONS: any() } },
              { id: 'p', path: '/{proxy+}', methods: { ANY: any() } }
            ],
            stages: [{ name: 'dev', tags: OWNED }]
          }
        ]
      ])
    } as DeleteDiscovery
    expect(planDelete(config, found).warnings).toEqual([])
  })
})

describe('custom domains in a delete', () => {
  const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
  const own = {
    name: '',
    type: 'A',
    values: [],
    alias: {
      dnsName: 'd-abc.execute-api.us-west-2.amazonaws.com',
      zoneId: 'Z2OJLYMUO9EFXC',
      evaluateTargetHealth: false
    }
  }
  const domains = (mapped: Record<string, string>, idle: string[]): DomainDiscovery => {
    const names = [...Object.keys(mapped), ...idle]
    return {
      domains: new Map(
        names.map(name => [
          name,
          {
            name,
            domain: {
              name,
              endpointType: 'REGIONAL',
              certificateArn: CERT,
              target: own.alias.dnsName,
              targetZoneId: own.alias.zoneId,
              tags: { ...OURS, 'cortex-rest-gateway:hosted-zone-id': 'ZONE' }
            },
            mappings: mapped[name] ? [{ basePath: '(none)', restApiId: mapped[name] }] : []
          }
        ])
      ),
      dns: new Map(
        names.map(name => [
          dnsKey('ZONE', name),
          {
            zoneId: 'ZONE',
            zoneName: 'example.com',
            name,
            records: [{ ...own, name }],
            marker: markerRecord('local', 'us-west-2', name)
          }
        ])
      ),
      idle
    }
  }
  const served = (name: string) => ({
    ...OWNED,
    'cortex-rest-gateway:domain-name': name,
    'cortex-rest-gateway:hosted-zone-id': 'ZONE',
    'cortex-rest-gateway:base-path': '(none)'
  })

  it("unmaps the API's domain first, then the API, the link; domains of ours serving nothing last", () => {
    const found: DeleteDiscovery = {
      ...nothing(),
      sameName: [api('a1', served('api.example.com'))],
      vpcLinks: [link('l1', OWNED)],
      ours: [api('a1', served('api.example.com')), api('b1', served('kept.example.com'), 'other')],
      domain: domains({ 'api.example.com': 'a1' }, ['idle.example.com', 'kept.example.com'])
    }
    const plan = planDelete(config, found)
    expect(plan.steps.map(s => `${s.op} ${'name' in s ? s.name : ''}`.trim())).toEqual([
      'unmap-base-path api.example.com',
      'delete-dns-record api.example.com',
      'delete-domain api.example.com',
      'delete-api',
      'delete-vpc-link',
      'delete-dns-record idle.example.com',
      'delete-domain idle.example.com'
    ])
    expect(plan.steps[0]).toEqual({
      op: 'unmap-base-path',
      name: 'api.example.com',
      basePath: '(none)',
      restApiId: 'a1'
    })
    // the sweep's removals are cleanup, the gateway's own domain's are not
    expect(plan.steps.map(isCleanup)).toEqual([false, false, false, true, true, true, true])
    expect(plan.notes).toEqual(['Custom domain idle.example.com of this repository serves nothing: it goes'])
  })

  it('takes a base path a person mapped to the API along with it, saying so; the recorded one silently', () => {
    const found: DeleteDiscovery = {
      ...nothing(),
      sameName: [api('a1', { ...served('api.example.com'), 'cortex-rest-gateway:base-path': 'v1' })],
      ours: [api('a1')],
      domain: domains({ 'api.example.com': 'a1' }, [])
    }
    found.domain!.domains.get('api.example.com')!.mappings = [
      { basePath: 'v1', restApiId: 'a1' },
      { basePath: 'latest', restApiId: 'a1' }
    ]
    const plan = planDelete(config, found)
    expect(
      plan.steps.filter(s => s.op === 'unmap-base-path').map(s => 'basePath' in s && s.basePath)
    ).toEqual(['v1', 'latest'])
    expect(plan.warnings).toEqual([
      "Base path 'latest' of custom domain api.example.com maps REST API a1, but the action did not make it: " +
        'it goes with the API'
    ])
  })

  it('with delete-on-exit leaves the domains serving nothing for a later run', () => {
    const found: DeleteDiscovery = {
      ...nothing(),
      sameName: [api('a1')],
      ours: [api('a1')],
      domain: domains({}, ['idle.example.com'])
    }
    const exit = planDelete(onExit(['a1'], []), found)
    expect(ops(exit.steps)).toEqual(['delete-api a1'])
    // an API whose contents were not read: no stage to list, nothing to warn of
    expect(exit).toMatchObject({ notes: [], warnings: [], stages: [] })
    expect(ops(planDelete(config, found).steps)).toEqual([
      'delete-api a1',
      'delete-dns-record ',
      'delete-domain '
    ])
  })
})

describe('isCleanup: the removals of leftovers, not part of the gateway', () => {
  it.each<[Step, boolean]>([
    [{ op: 'delete-api', apiId: 'a1' }, true],
    [{ op: 'delete-vpc-link', vpcLinkId: 'l1', version: 'v1' }, true],
    [{ op: 'delete-domain', name: 'idle.example.com', sweep: 'local' }, true],
    [{ op: 'delete-domain', name: 'api.example.com' }, false],
    [{ op: 'delete-dns-record', zoneId: 'Z', name: 'idle.example.com', records: [], sweep: 'local' }, true],
    [{ op: 'delete-dns-record', zoneId: 'Z', name: 'api.example.com', records: [] }, false],
    [{ op: 'unmap-base-path', name: 'api.example.com', basePath: '(none)', restApiId: 'a1' }, false],
    [{ op: 'deploy', stage: 'dev', newStage: false, tags: {} }, false]
  ])('%j: %s', (step, want) => {
    expect(isCleanup(step)).toBe(want)
  })
})
