/** The plan is pure data: what exists in, steps out. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { ActionError, InputError } from '../src/base/errors.js'
import type { CreateConfig, DeleteConfig } from '../src/config/inputs.js'
import { contractResources } from './support/gateway.js'
import { configFrom } from './support/inputs.js'
import { routeTo } from '../src/core/plan.js'
import { describeStep } from '../src/engine/steps.js'
import { NEW_VPC_LINK, planCreate, planDelete, type CreateDiscovery, type Step } from '../src/core/plan.js'
import type { LoadBalancer, RestApiSummary, VpcLink } from '../src/model/model.js'

// made by this repository (configFrom runs outside one: the 'local' owner)
const OWNED = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'local',
  'cortex-rest-gateway:api-name': 'cortex'
}
const none = { contents: new Map(), linkUsers: new Map<string, string[]>(), ours: [] }
const DNS = 'cortex-1.elb.us-west-2.amazonaws.com'
const nlb = (scheme: 'internal' | 'internet-facing', type = 'network'): LoadBalancer => ({
  arn: `arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex/${scheme}`,
  name: 'cortex',
  dnsName: DNS,
  scheme,
  type,
  subnetIds: ['subnet-0aaaaaaa', 'subnet-0bbbbbbb'],
  securityGroupIds: type === 'application' ? ['sg-01230123'] : []
})

function createInputs(inputs: Record<string, string> = {}): CreateConfig {
  return configFrom({ 'load-balancer': DNS, ...inputs }) as CreateConfig
}

const api = (id: string, tags: Record<string, string> = OWNED, created = 1): RestApiSummary => ({
  id,
  name: 'cortex',
  tags,
  endpointTypes: ['REGIONAL'],
  rootResourceId: 'root',
  createdDate: new Date(created * 1000)
})

/** The gateways a run made, by the case they were made for: see fixtures/plan/README.md. */
type Made =
  | 'legacy-internet-facing'
  | 'legacy-internal-v1'
  | 'internet-facing'
  | 'internet-facing-iam-no-cors'
  | 'internet-facing-timeout'
  | 'internal-v1'
  | 'internal-v2'
const MADE: Made[] = [
  'internet-facing',
  'internet-facing-iam-no-cors',
  'internet-facing-timeout',
  'internal-v1',
  'internal-v2'
]

/**
 * What AWS holds for a gateway the action made, as a re-run's discovery read it back (recorded once
 * from moto behind the test proxy, which answers as AWS does), and the inputs it was made with; `more`
 * changes those inputs. A fresh copy each time: tests change what they are given.
 */
function made(
  name: Made,
  more: Record<string, string> = {}
): { config: CreateConfig; found: CreateDiscovery } {
  const text = readFileSync(new URL(`./fixtures/plan/${name}.json`, import.meta.url), 'utf8')
  const fixture = JSON.parse(text, (key, value: unknown) =>
    key === 'createdDate' && typeof value === 'string' ? new Date(value) : value
  ) as { inputs: Record<string, string>; discovery: CreateDiscovery }
  return { config: configFrom({ ...fixture.inputs, ...more }) as CreateConfig, found: fixture.discovery }
}

const ops = (steps: Step[]) =>
  steps.map(s => `${s.op}${'path' in s ? ` ${s.path}` : ''}${'httpMethod' in s ? ` ${s.httpMethod}` : ''}`)
const link = (
  id: string,
  tags: Record<string, string>,
  status = 'AVAILABLE',
  target = nlb('internal').arn
): VpcLink => ({
  version: 'v1',
  id,
  name: id,
  status,
  targetArns: [target],
  subnetIds: [],
  securityGroupIds: [],
  tags
})
const linkV2 = (
  id: string,
  tags: Record<string, string>,
  status = 'AVAILABLE',
  subnetIds = ['subnet-0bbbbbbb', 'subnet-0aaaaaaa'],
  securityGroupIds = ['sg-01230123']
): VpcLink => ({
  version: 'v2',
  id,
  name: id,
  status,
  targetArns: [],
  subnetIds,
  securityGroupIds,
  tags
})

describe('planCreate', () => {
  it('builds everything for a new internet-facing gateway', () => {
    const config = createInputs()
    const plan = planCreate(config, { loadBalancer: nlb('internet-facing'), sameName: [] }, OWNED)
    expect(ops(plan.steps)).toEqual([
      'create-api',
      'create-resource /{proxy+}',
      'put-method /',
      'put-method /',
      'put-method /{proxy+}',
      'put-method /{proxy+}',
      'put-gateway-response',
      'put-gateway-response',
      'deploy'
    ])
    expect(plan.steps[0]).toMatchObject({ op: 'create-api', endpointType: 'REGIONAL', tags: OWNED })
    // the README's contract, written out: ANY / and ANY /{proxy+} proxied over HTTP to the load balancer,
    // and the console's CORS preflight on both
    expect(plan.steps.filter(s => s.op === 'put-method')).toEqual(
      contractResources(DNS).flatMap(r =>
        r.methods.map(method => ({ op: 'put-method', path: r.path, method }))
      )
    )
  })

  it.each(MADE)('plans nothing for a gateway it made, as AWS holds it: %s', name => {
    const { config, found } = made(name)
    expect(planCreate(config, found, OWNED).steps).toEqual([])
  })

  it('replaces the proxied methods and redeploys when authorization changes', () => {
    const { config, found } = made('internet-facing', { authorization: 'AWS_IAM' })
    const plan = planCreate(config, found, OWNED)
    expect(plan.steps.map(s => describeStep(s))).toContain(
      'put method ANY / (AWS_IAM) → HTTP_PROXY http://${stageVariables.cortexHost}/: authorization NONE → AWS_IAM'
    )
    expect(ops(plan.steps)).toEqual([
      'delete-method / ANY',
      'put-method /',
      'delete-method /{proxy+} ANY',
      'put-method /{proxy+}',
      'deploy'
    ])
  })

  it('removes the preflight when cors is turned off, and adds it back when turned on', () => {
    const { config, found } = made('internet-facing', { cors: 'false' })
    const plan = planCreate(config, found, OWNED)
    // the gateway responses it set for CORS are reset with the preflight
    expect(ops(plan.steps)).toEqual([
      'delete-method / OPTIONS',
      'delete-method /{proxy+} OPTIONS',
      'delete-gateway-response',
      'delete-gateway-response',
      'deploy'
    ])
    const without = made('internet-facing-iam-no-cors', { cors: 'true' })
    expect(ops(planCreate(without.config, without.found, OWNED).steps)).toEqual([
      'put-method /',
      'put-method /{proxy+}',
      'put-gateway-response',
      'put-gateway-response',
      'deploy'
    ])
  })

  it('points the stage at a new load balancer DNS name by its variables, without redeploying', () => {
    const { config, found } = made('internet-facing')
    const plan = planCreate(
      config,
      { ...found, loadBalancer: { ...found.loadBalancer, dnsName: 'other-2.elb.us-west-2.amazonaws.com' } },
      OWNED
    )
    expect(plan.steps).toEqual([
      {
        op: 'set-stage-variables',
        stage: 'dev',
        set: { cortexHost: 'other-2.elb.us-west-2.amazonaws.com' },
        remove: [],
        host: 'other-2.elb.us-west-2.amazonaws.com'
      }
    ])
  })

  it('moves a gateway made before the stage variables to them with one redeploy, once', () => {
    const { config, found } = made('legacy-internet-facing')
    const plan = planCreate(config, found, OWNED)
    expect(ops(plan.steps)).toEqual([
      'delete-method / ANY',
      'put-method /',
      'delete-method /{proxy+} ANY',
      'put-method /{proxy+}',
      'set-stage-variables',
      // made before CORS reached the gateway's own answers: those come with the same redeploy
      'put-gateway-response',
      'put-gateway-response',
      'deploy'
    ])
    const dns = found.loadBalancer.dnsName
    expect(plan.steps[4]).toEqual({
      op: 'set-stage-variables',
      stage: 'dev',
      set: { cortexHost: dns },
      remove: [],
      host: dns
    })
    // internal: the link named by the stage too, the same link kept
    const v1 = made('legacy-internal-v1')
    const linkId = v1.found.vpcLinks![0].id
    const internal = planCreate(v1.config, v1.found, OWNED)
    expect(internal.steps.filter(s => s.op === 'set-stage-variables')).toEqual([
      {
        op: 'set-stage-variables',
        stage: 'dev',
        set: { cortexHost: v1.found.loadBalancer.dnsName, cortexVpcLink: linkId },
        remove: [],
        host: v1.found.loadBalancer.dnsName
      }
    ])
    expect(internal.steps.filter(s => s.op === 'delete-vpc-link' || s.op === 'create-vpc-link')).toEqual([])
  })

  it('recreates a missing proxy resource and its methods (a run stopped half-way)', () => {
    const { config, found } = made('internet-facing')
    found.api!.resources = found.api!.resources.filter(r => r.path === '/')
    expect(ops(planCreate(config, found, OWNED).steps)).toEqual([
      'create-resource /{proxy+}',
      'put-method /{proxy+}',
      'put-method /{proxy+}',
      'deploy'
    ])
  })

  it('redeploys a stage that serves an older deployment, and creates a missing stage', () => {
    const { config, found: stale } = made('internet-facing')
    stale.api!.deploymentDescription = 'cortex-rest-gateway 0000'
    expect(ops(planCreate(config, stale, OWNED).steps)).toEqual(['deploy'])
    const noStage = made('internet-facing').found
    noStage.api!.stage = undefined
    noStage.api!.deploymentDescription = undefined
    expect(planCreate(config, noStage, OWNED).steps).toEqual([
      expect.objectContaining({ op: 'deploy', stage: 'dev' })
    ])
  })

  it('changes the endpoint type and re-applies changed tags without redeploying', () => {
    const { config, found } = made('internet-facing', { 'endpoint-type': 'EDGE', tags: 'team=ml' })
    expect(planCreate(config, found, OWNED).steps).toEqual([
      { op: 'tag-api', tags: { team: 'ml' } },
      { op: 'set-endpoint-type', from: 'REGIONAL', to: 'EDGE' },
      // the stage carries the gateway's tags too (AWS allocates costs by stage tags)
      { op: 'tag-stage', stage: 'dev', tags: { team: 'ml' } }
    ])
  })

  it('refuses a same-named API it does not own, before any step', () => {
    const config = createInputs()
    expect(() =>
      planCreate(config, { loadBalancer: nlb('internet-facing'), sameName: [api('x1', {})] }, OWNED)
    ).toThrow(
      new RegExp(
        /already exists in us-west-2: x1 \(not made by this action\)\. /.source +
          /The action changes only what this repository made/.source
      )
    )
  })

  it('uses the owned API when a foreign one shares its name, with a warning', () => {
    const { config, found } = made('internet-facing')
    found.sameName.push(api('x1', { team: 'other' }))
    const plan = planCreate(config, found, OWNED)
    expect(plan.steps).toEqual([])
    expect(plan.warnings.join()).toContain('x1')
  })

  it('fails on a scheme that contradicts the load balancer, and on an internal ALB asked to use a v1 link', () => {
    const wrong = made('internet-facing', { scheme: 'internal' })
    expect(() => planCreate(wrong.config, wrong.found, OWNED)).toThrow(InputError)
    expect(() =>
      planCreate(
        createInputs({ 'vpc-link-version': 'v1' }),
        { loadBalancer: nlb('internal', 'application'), sameName: [] },
        OWNED
      )
    ).toThrow(/Input 'vpc-link-version': .*REST \(v1\) VPC links reach Network Load Balancers only/)
  })

  describe('internal', () => {
    it('creates a VPC link, waits for it, and routes through it', () => {
      const config = createInputs()
      const plan = planCreate(config, { loadBalancer: nlb('internal'), sameName: [], vpcLinks: [] }, OWNED)
      expect(ops(plan.steps).slice(0, 3)).toEqual(['create-vpc-link', 'wait-vpc-link', 'create-api'])
      expect(plan.steps[0]).toMatchObject({
        link: { version: 'v1', name: 'cortex-vpc-link', targetArn: nlb('internal').arn }
      })
      expect(plan.vpcLinkId).toBe(NEW_VPC_LINK)
      const put = plan.steps.find(s => s.op === 'put-method' && s.method.httpMethod === 'ANY')
      expect(put).toMatchObject({
        method: {
          integration: { connectionType: 'VPC_LINK', connectionId: '${stageVariables.cortexVpcLink}' }
        }
      })
      // the new stage names the link the plan makes
      expect(plan.steps.find(s => s.op === 'deploy')).toMatchObject({
        variables: { cortexHost: nlb('internal').dnsName, cortexVpcLink: NEW_VPC_LINK }
      })
    })

    it('prefers the owned link made for this API, then another owned one, then any link to the NLB', () => {
      const config = createInputs()
      const base = { loadBalancer: nlb('internal'), sameName: [] }
      const foreign = link('l-foreign', {})
      const otherApi = link('l-other', { ...OWNED, 'cortex-rest-gateway:api-name': 'other' })
      const mine = link('l-mine', OWNED)
      const failed = link('l-failed', OWNED, 'FAILED')
      const elsewhere = link('l-elsewhere', OWNED, 'AVAILABLE', 'arn:other')
      expect(
        planCreate(config, { ...base, vpcLinks: [foreign, otherApi, mine, failed, elsewhere] }, OWNED)
          .vpcLinkId
      ).toBe('l-mine')
      expect(planCreate(config, { ...base, vpcLinks: [foreign, otherApi] }, OWNED).vpcLinkId).toBe('l-other')
      expect(planCreate(config, { ...base, vpcLinks: [foreign, failed, elsewhere] }, OWNED).vpcLinkId).toBe(
        'l-foreign'
      )
      expect(planCreate(config, { ...base, vpcLinks: [failed, elsewhere] }, OWNED).vpcLinkId).toBe(
        NEW_VPC_LINK
      )
    })

    it('waits for a reused link that is still PENDING', () => {
      const plan = planCreate(
        createInputs(),
        { loadBalancer: nlb('internal'), sameName: [], vpcLinks: [link('l1', OWNED, 'PENDING')] },
        OWNED
      )
      expect(plan.steps[0]).toEqual({ op: 'wait-vpc-link', vpcLinkId: 'l1', version: 'v1' })
    })

    it('plans nothing when the API already goes through the link', () => {
      const { config, found } = made('internal-v1')
      const plan = planCreate(config, found, OWNED)
      expect(plan.steps).toEqual([])
      expect(plan.vpcLinkId).toBe(found.vpcLinks![0].id)
    })
  })
})

describe('VPC links v2', () => {
  const alb = nlb('internal', 'application')

  it("auto picks v1 for an NLB and v2 for an ALB, made from the load balancer's subnets and groups", () => {
    expect(
      planCreate(createInputs(), { loadBalancer: nlb('internal'), sameName: [], vpcLinks: [] }, OWNED)
        .steps[0]
    ).toMatchObject({
      link: { version: 'v1' }
    })
    const plan = planCreate(createInputs(), { loadBalancer: alb, sameName: [], vpcLinks: [] }, OWNED)
    expect(plan.steps[0]).toEqual({
      op: 'create-vpc-link',
      link: {
        version: 'v2',
        name: 'cortex-vpc-link',
        subnetIds: ['subnet-0aaaaaaa', 'subnet-0bbbbbbb'],
        securityGroupIds: ['sg-01230123'],
        tags: { ...OWNED, 'cortex-rest-gateway:load-balancer': alb.arn }
      }
    })
    expect(plan.steps[1]).toEqual({ op: 'wait-vpc-link', vpcLinkId: NEW_VPC_LINK, version: 'v2' })
    const put = plan.steps.find(s => s.op === 'put-method' && s.method.httpMethod === 'ANY')
    expect(put).toMatchObject({
      method: {
        integration: { connectionType: 'VPC_LINK', connectionId: NEW_VPC_LINK, integrationTarget: alb.arn }
      }
    })
  })

  it('uses v2 for an NLB when asked, and the subnets and groups given', () => {
    const config = createInputs({
      'vpc-link-version': 'v2',
      'subnet-ids': 'subnet-0ccccccc, subnet-0ddddddd',
      'security-group-ids': 'sg-09990999'
    })
    const plan = planCreate(config, { loadBalancer: nlb('internal'), sameName: [], vpcLinks: [] }, OWNED)
    expect(plan.steps[0]).toMatchObject({
      link: {
        version: 'v2',
        subnetIds: ['subnet-0ccccccc', 'subnet-0ddddddd'],
        securityGroupIds: ['sg-09990999']
      }
    })
  })

  it('says what to pass when the load balancer has no security groups', () => {
    expect(() =>
      planCreate(
        createInputs({ 'vpc-link-version': 'v2' }),
        { loadBalancer: nlb('internal'), sameName: [] },
        OWNED
      )
    ).toThrow(/Input 'security-group-ids': load balancer cortex has no security groups/)
  })

  it('reuses only an owned v2 link with the same subnets and groups', () => {
    const base = { loadBalancer: alb, sameName: [] }
    const pick = (links: VpcLink[]) =>
      planCreate(createInputs(), { ...base, vpcLinks: links }, OWNED).vpcLinkId
    expect(
      pick([linkV2('other-subnets', OWNED, 'AVAILABLE', ['subnet-0aaaaaaa']), linkV2('same', OWNED)])
    ).toBe('same')
    expect(pick([linkV2('foreign', {})])).toBe(NEW_VPC_LINK)
    expect(pick([linkV2('failed', OWNED, 'FAILED')])).toBe(NEW_VPC_LINK)
  })

  it('warns about an INACTIVE link instead of waiting on it', () => {
    const plan = planCreate(
      createInputs(),
      { loadBalancer: alb, sameName: [], vpcLinks: [linkV2('sleepy', OWNED, 'INACTIVE')] },
      OWNED
    )
    expect(plan.vpcLinkId).toBe('sleepy')
    expect(plan.steps.some(s => s.op === 'wait-vpc-link')).toBe(false)
    expect(plan.warnings.join()).toContain('VPC link sleepy is INACTIVE')
  })

  it('switching v1 → v2 repoints the methods and removes the owned v1 link; back again likewise', () => {
    const onV1 = made('internal-v1', { 'vpc-link-version': 'v2', 'security-group-ids': 'sg-01230123' })
    const v1 = onV1.found.vpcLinks![0]
    const plan = planCreate(onV1.config, onV1.found, OWNED)
    expect(ops(plan.steps)).toEqual([
      'create-vpc-link',
      'wait-vpc-link',
      'delete-method / ANY',
      'put-method /',
      'delete-method /{proxy+} ANY',
      'put-method /{proxy+}',
      'deploy',
      'set-stage-variables',
      'delete-vpc-link'
    ])
    // the v2 integrations name their load balancer: the stage's variables (the v1 link's among them) go
    expect(plan.steps.at(-2)).toEqual({
      op: 'set-stage-variables',
      stage: 'dev',
      set: {},
      remove: ['cortexHost', 'cortexVpcLink'],
      host: onV1.found.loadBalancer.dnsName
    })
    expect(plan.steps.at(-1)).toEqual({ op: 'delete-vpc-link', vpcLinkId: v1.id, version: 'v1' })

    const onV2 = made('internal-v2', { 'vpc-link-version': 'v1' })
    const v2 = onV2.found.vpcLinks![0]
    onV2.found.vpcLinks!.push(link('v1-again', OWNED, 'AVAILABLE', onV2.found.loadBalancer.arn))
    const back = planCreate(onV2.config, onV2.found, OWNED)
    expect(back.vpcLinkId).toBe('v1-again')
    expect(back.steps.at(-1)).toEqual({ op: 'delete-vpc-link', vpcLinkId: v2.id, version: 'v2' })
  })
})

describe('planDelete', () => {
  const config = configFrom({ mode: 'delete', region: 'us-west-2' }) as DeleteConfig

  const other = { ...api('o1'), name: 'other' }

  it('deletes the owned API, then the links made for it; nothing else', () => {
    const plan = planDelete(config, {
      sameName: [api('a1'), api('x1', {})],
      vpcLinks: [
        link('l1', OWNED),
        link('l2', {}),
        link('l3', { ...OWNED, 'cortex-rest-gateway:api-name': 'other' })
      ],
      ...none,
      ours: [api('a1'), other]
    })
    expect(plan.steps).toEqual([
      { op: 'delete-api', apiId: 'a1' },
      { op: 'delete-vpc-link', vpcLinkId: 'l1', version: 'v1' }
    ])
    expect(plan.notes.join()).toContain('x1')
  })

  it(
    'takes along a link of ours the API went through, ' +
      'and one whose gateway is gone, unless another gateway uses it',
    () => {
      const borrowed = link('l3', { ...OWNED, 'cortex-rest-gateway:api-name': 'other' })
      const orphan = link('l4', { ...OWNED, 'cortex-rest-gateway:api-name': 'gone' })
      const plan = planDelete(config, {
        sameName: [api('a1')],
        vpcLinks: [borrowed, orphan, link('l5', { ...OWNED, 'cortex-rest-gateway:api-name': 'other' })],
        contents: new Map([
          [
            'a1',
            {
              resources: [
                {
                  id: 'r',
                  path: '/',
                  methods: {
                    ANY: {
                      responses: {},
                      integration: { type: 'HTTP_PROXY', connectionId: 'l3', responses: {} }
                    }
                  }
                }
              ],
              stages: []
            }
          ]
        ]),
        linkUsers: new Map([['l3', ['o1']]]),
        ours: [api('a1'), other]
      })
      expect(plan.steps).toEqual([
        { op: 'delete-api', apiId: 'a1' },
        { op: 'delete-vpc-link', vpcLinkId: 'l3', version: 'v1', unlessUsedBy: ['o1'] },
        { op: 'delete-vpc-link', vpcLinkId: 'l4', version: 'v1' }
      ])
      expect(describeStep(plan.steps[1])).toBe('delete VPC link l3 unless REST API o1 still goes through it')
    }
  )

  it('cleans up a link left by a run that stopped before it made the API', () => {
    expect(
      planDelete(config, { sameName: [], vpcLinks: [link('l1', OWNED), linkV2('l2', OWNED)], ...none }).steps
    ).toEqual([
      { op: 'delete-vpc-link', vpcLinkId: 'l1', version: 'v1' },
      { op: 'delete-vpc-link', vpcLinkId: 'l2', version: 'v2' }
    ])
  })

  it('has nothing to do when nothing is owned', () => {
    expect(planDelete(config, { sameName: [api('x1', {})], vpcLinks: [], ...none }).steps).toEqual([])
  })
})

it('raises ActionError, not a bare error, for ownership conflicts', () => {
  expect(() =>
    planCreate(createInputs(), { loadBalancer: nlb('internet-facing'), sameName: [api('x1', {})] }, OWNED)
  ).toThrow(ActionError)
})

describe('routeTo with cluster-name', () => {
  it('names cluster-name, not load-balancer, when the load balancer it found cannot be reached', () => {
    const config = configFrom({ 'cluster-name': 'prod', region: 'us-west-2' }) as CreateConfig
    expect(() => routeTo(config, nlb('internal', 'gateway'))).toThrow(
      new InputError(
        'cluster-name',
        'cortex is a gateway load balancer: VPC links reach Network and ' + 'Application Load Balancers only'
      )
    )
  })
})

describe('of two faults, the one the planner meets first', () => {
  it('is the custom domain that is not ours, before the CloudWatch role that is missing', () => {
    const config = createInputs({
      'domain-name': 'api.example.com',
      'certificate-arn': 'arn:aws:acm:us-west-2:123456789012:certificate/abc',
      'logging-level': 'INFO'
    })
    const domain = {
      name: 'api.example.com',
      endpointType: 'REGIONAL',
      certificateArn: 'arn:aws:acm:us-west-2:123456789012:certificate/abc',
      tags: {}
    }
    const found: CreateDiscovery = {
      loadBalancer: nlb('internet-facing'),
      sameName: [],
      ours: [],
      cloudWatchRole: '',
      domain: {
        domains: new Map([['api.example.com', { name: 'api.example.com', domain, mappings: [] }]]),
        dns: new Map()
      }
    }
    expect(() => planCreate(config, found, OWNED)).toThrow(/^Custom domain api\.example\.com already exists/)
  })
})

describe('planCreate: the API it keeps, and what a run says', () => {
  const ID = '3va7okaeyw' // the fixtures' API
  const at = (iso: string) => new Date(iso)

  it('keeps the oldest API of ours of the name and deletes its twins once the gateway works, saying so', () => {
    const { config, found } = made('internet-facing')
    found.sameName.push({ ...api('zz-twin'), createdDate: at('2026-11-30T09:07:00Z') })
    found.vpcLinks = []
    const plan = planCreate(config, found, OWNED)
    expect(plan.steps).toEqual([{ op: 'delete-api', apiId: 'zz-twin' }])
    expect(plan.warnings).toEqual([
      `2 REST APIs named "cortex" were made by this repository (${ID}, zz-twin): ` +
        `keeping ${ID} (the oldest, then the lowest id) and deleting the others`
    ])
    expect(plan).toMatchObject({ owner: 'local', apiName: 'cortex', apiId: ID, scheme: 'internet-facing' })
  })

  it('names the same-named APIs of others it leaves alone, with whose they are', () => {
    const { config, found } = made('internet-facing')
    found.sameName.push(
      api('h1', {}),
      api('r1', { ...OWNED, 'cortex-rest-gateway:repository': 'octo/other' })
    )
    expect(planCreate(config, found, OWNED).warnings).toEqual([
      'Other REST APIs named "cortex" are left alone: h1 (not made by this action), ' +
        'r1 (made by this action from repository octo/other)'
    ])
  })

  it.each([
    // [who made it, its tags, as the step names them, the tags that change: all of ours, or the repository]
    ['a person', {}, 'not made by this action', { team: 'ml', ...OWNED }],
    [
      'another repository',
      { ...OWNED, 'cortex-rest-gateway:repository': 'octo/other' },
      'made by this action from repository octo/other',
      { team: 'ml', 'cortex-rest-gateway:repository': 'local' }
    ]
  ])(
    'with adopt takes over an API %s made: tagged as ours first, its stage too',
    (_, tags, previously, changed) => {
      const { config, found } = made('internet-facing', { adopt: 'true', tags: 'team=ml' })
      found.sameName[0].tags = tags
      found.api!.summary.tags = tags
      found.api!.stage!.tags = {}
      const plan = planCreate(config, found, OWNED)
      // the API taken over is no other's left alone
      expect(plan.warnings).toEqual([])
      expect(plan.steps).toEqual([
        { op: 'adopt-api', apiId: ID, previously, tags: changed },
        { op: 'tag-stage', stage: 'dev', tags: { team: 'ml', ...OWNED } }
      ])
    }
  )

  it.each([
    // the API's place in the line of deletes, as a stopped delete left it: a create takes it out of the line
    ['x/1764493200', [{ op: 'tag-api', tags: { 'cortex-rest-gateway:delete-queued': 'left' } }]],
    ['left', []],
    [undefined, []]
  ])('takes an API queued for deletion (%s) out of the line of deletes', (queued, steps) => {
    const { config, found } = made('internet-facing')
    if (queued) found.api!.summary.tags = { ...OWNED, 'cortex-rest-gateway:delete-queued': queued }
    expect(planCreate(config, found, OWNED).steps).toEqual(steps)
  })

  it('turns a PRIVATE API into a REGIONAL one once its VPC endpoints are off, never into an EDGE one', () => {
    const { config, found } = made('internet-facing')
    found.api!.summary.endpointTypes = ['PRIVATE']
    found.api!.summary.vpcEndpointIds = ['vpce-0aaa1111']
    // AWS takes no type but PRIVATE while VPC endpoints remain
    expect(planCreate(config, found, OWNED).steps).toEqual([
      {
        op: 'update-api',
        patches: [{ op: 'remove', path: '/endpointConfiguration/vpcEndpointIds', value: 'vpce-0aaa1111' }],
        changes: [{ what: 'VPC endpoints', from: 'vpce-0aaa1111', to: 'none' }]
      },
      { op: 'set-endpoint-type', from: 'PRIVATE', to: 'REGIONAL' }
    ])
    const edge = made('internet-facing', { 'endpoint-type': 'EDGE' })
    edge.found.api!.summary.endpointTypes = ['PRIVATE']
    expect(() => planCreate(edge.config, edge.found, OWNED)).toThrow(
      new InputError(
        'endpoint-type',
        `REST API ${ID} is PRIVATE, and AWS turns a PRIVATE API into a REGIONAL one only: ` +
          'use REGIONAL (or make a new gateway under another api-name)'
      )
    )
  })

  it("deploys a new stage with the gateway's tags, and an existing one without retagging it", () => {
    const { config, found } = made('internet-facing', { tags: 'team=ml' })
    found.api!.stage = undefined
    expect(planCreate(config, found, OWNED).steps).toEqual([
      { op: 'tag-api', tags: { team: 'ml' } },
      {
        op: 'deploy',
        stage: 'dev',
        newStage: true,
        tags: { team: 'ml', ...OWNED },
        // the stage names the cluster the integrations reach
        variables: { cortexHost: 'cortex-1.us-west-2.elb.amazonaws.com' }
      }
    ])
    const stale = made('internet-facing')
    stale.found.api!.deploymentDescription = 'cortex-rest-gateway 0000'
    expect(planCreate(stale.config, stale.found, OWNED).steps).toEqual([
      { op: 'deploy', stage: 'dev', newStage: false, tags: OWNED }
    ])
  })

  it('with api-keys, has the proxied methods require a key, and makes the plan and keys after the deployment', () => {
    const plan = planCreate(
      createInputs({ 'api-keys': 'alpha' }),
      { loadBalancer: nlb('internet-facing'), sameName: [] },
      OWNED
    )
    expect(ops(plan.steps).slice(-4)).toEqual([
      'deploy',
      'create-usage-plan',
      'create-api-key',
      'attach-api-key'
    ])
    const required = plan.steps.flatMap(s =>
      s.op === 'put-method' ? [`${s.method.httpMethod} ${s.path} ${s.method.apiKeyRequired}`] : []
    )
    expect(required).toEqual([
      'ANY / true',
      'OPTIONS / undefined',
      'ANY /{proxy+} true',
      'OPTIONS /{proxy+} undefined'
    ])
  })

  it("gives a new API and stage the features' settings and tags, and the keys the gateway's tags", () => {
    const plan = planCreate(
      createInputs({ 'api-keys': 'alpha', 'binary-media-types': 'image/png', throttle: '100/200' }),
      { loadBalancer: nlb('internet-facing'), sameName: [] },
      OWNED
    )
    const step = (op: string) => plan.steps.find(s => s.op === op)
    expect(step('create-api')).toMatchObject({
      tags: { ...OWNED, 'cortex-rest-gateway:api-settings': 'binary:image/png' },
      settings: { binaryMediaTypes: ['image/png'], vpcEndpointIds: [] }
    })
    expect(step('deploy')).toMatchObject({
      tags: { ...OWNED, 'cortex-rest-gateway:stage-settings': 'throttle api-keys' }
    })
    const dev = { ...OWNED, 'cortex-rest-gateway:stage': 'dev' }
    expect(step('create-usage-plan')).toMatchObject({ tags: dev })
    expect(step('create-api-key')).toMatchObject({ tags: dev })
    // what the deployment puts live, for its label: the API's settings, and the CORS gateway responses
    expect(plan.deployedSettings).toEqual([
      { binaryMediaTypes: ['image/png'], policy: undefined },
      {
        gatewayResponses: {
          responseParameters: {
            'gatewayresponse.header.Access-Control-Allow-Headers':
              "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
            'gatewayresponse.header.Access-Control-Allow-Methods': "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'",
            'gatewayresponse.header.Access-Control-Allow-Origin': "'*'"
          },
          responseTemplates: {
            'application/json':
              "## cortex-rest-gateway: CORS on the gateway's own answers\n" +
              '{"message":$context.error.messageString,"requestId":"$context.requestId"}'
          }
        }
      }
    ])
  })

  it.each([
    [29000, []],
    [
      30000,
      [
        "'integration-timeout' is 30000 ms, over 29 s: AWS takes it only where the account's integration " +
          'timeout quota was raised (Service Quotas, API Gateway), and may lower the account-level throttle quota ' +
          'for it'
      ]
    ]
  ])('says of an integration timeout of %i ms whether AWS takes it without a raised quota', (ms, notices) => {
    expect(
      planCreate(
        createInputs({ 'integration-timeout': String(ms) }),
        { loadBalancer: nlb('internet-facing'), sameName: [] },
        OWNED
      ).notices
    ).toEqual(notices)
  })

  it("says it goes through a person's link to the load balancer, and waits for none that is AVAILABLE", () => {
    const plan = planCreate(
      createInputs(),
      { loadBalancer: nlb('internal'), sameName: [], vpcLinks: [link('l-hand', {})] },
      OWNED
    )
    expect(plan.vpcLinkId).toBe('l-hand')
    expect(ops(plan.steps)[0]).toBe('create-api')
    expect(plan.notes).toEqual(['Using VPC link l-hand (l-hand), which already targets cortex'])
    expect(plan.warnings).toEqual([])
  })

  it('warns of an INACTIVE link in full, and waits for it no more than for an AVAILABLE one', () => {
    const plan = planCreate(
      createInputs(),
      { loadBalancer: nlb('internal'), sameName: [], vpcLinks: [link('l1', OWNED, 'INACTIVE')] },
      OWNED
    )
    expect(plan.warnings).toEqual([
      'VPC link l1 is INACTIVE (no traffic for 60 days): ' +
        'AWS sets it up again when requests arrive, which takes a few minutes'
    ])
    expect(plan.notes).toEqual([])
    expect(ops(plan.steps)[0]).toBe('create-api')
  })
})
