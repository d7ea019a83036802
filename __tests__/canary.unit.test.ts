/**
 * The canary's inputs and planner, pure: a new cluster given a share of the stage's requests through a stage
 * canary, promoted or rolled back. Expected values are the README's contract, written out.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { CreateConfig } from '../src/config/inputs.js'
import { linksUsedBy, planCreate, type CreateDiscovery, type Step } from '../src/core/plan.js'
import { parsePercent } from '../src/features/canary/inputs.js'
import { NEW_CANARY_LINK, planCanary, type Backend } from '../src/features/canary/plan.js'
import { describeStep } from '../src/engine/steps.js'
import { renderSummary } from '../src/report/summary.js'
import type { LoadBalancer, StageState } from '../src/model/model.js'
import { configFrom } from './support/inputs.js'

const OWNED = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'local',
  'cortex-rest-gateway:api-name': 'cortex'
}
const OLD = 'old-1.elb.us-west-2.amazonaws.com'
const NEW = 'new-2.elb.us-west-2.amazonaws.com'
const lb = (
  name: string,
  dnsName: string,
  scheme: 'internal' | 'internet-facing',
  type = 'network'
): LoadBalancer => ({
  arn: `arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/${name}/${scheme}`,
  name,
  dnsName,
  scheme,
  type,
  subnetIds: ['subnet-0aaaaaaa'],
  securityGroupIds: type === 'application' ? ['sg-01230123'] : []
})

const stage = (more: Partial<StageState> = {}): StageState => ({
  name: 'dev',
  deploymentId: 'd1',
  tags: {},
  variables: { cortexHost: OLD },
  ...more
})

describe('canary inputs', () => {
  it('takes a share from 0 to 100, decimals allowed, 10 by default', () => {
    expect(parsePercent('')).toBe(10)
    expect(parsePercent('0')).toBe(0)
    expect(parsePercent('12.5')).toBe(12.5)
    expect(parsePercent('100')).toBe(100)
  })

  it.each(['101', '-1', '10%', 'ten', '1e1', '100.01', ' '])('refuses canary-percent %p, naming it', v => {
    expect(() => parsePercent(v)).toThrow(/^Input 'canary-percent': .* is not a share from 0 to 100/)
  })

  it('reads the canary from canary-load-balancer or canary-cluster-name, not both', () => {
    const c = configFrom({
      'load-balancer': OLD,
      'canary-load-balancer': `http://${NEW.toUpperCase()}/`,
      'canary-percent': '25'
    }) as CreateConfig
    expect(c.canary).toEqual({
      loadBalancer: { kind: 'dns', dnsName: NEW, raw: `http://${NEW.toUpperCase()}/`, region: 'us-west-2' },
      input: 'canary-load-balancer',
      percent: 25
    })
    const byName = configFrom({ 'load-balancer': OLD, 'canary-cluster-name': 'cortex-new' }) as CreateConfig
    expect(byName.canary).toEqual({
      loadBalancer: { kind: 'cluster', clusterName: 'cortex-new', raw: 'cortex-new' },
      input: 'canary-cluster-name',
      percent: 10
    })
    expect(() =>
      configFrom({ 'load-balancer': OLD, 'canary-cluster-name': 'cortex-new', 'canary-load-balancer': NEW })
    ).toThrow(/^Input 'canary-cluster-name': give either/)
    expect(() => configFrom({ 'load-balancer': OLD, 'canary-load-balancer': 'not a host!' })).toThrow(
      /^Input 'canary-load-balancer': "not a host!" is neither a DNS name nor an ARN/
    )
    expect(() => configFrom({ 'load-balancer': OLD, 'canary-cluster-name': 'X' })).toThrow(
      /^Input 'canary-cluster-name': must be a Cortex cluster name/
    )
    // canary-percent alone (action.yml passes its default) is no canary
    expect(
      (configFrom({ 'load-balancer': OLD, 'canary-percent': '10' }) as CreateConfig).canary
    ).toBeUndefined()
  })
})

describe('planCanary', () => {
  const current = { host: OLD }
  const canary = { backend: { host: NEW }, percent: 10 }

  it('makes a new stage with the variables, and its canary once the stage is', () => {
    expect(planCanary({ stageName: 'dev', current, canary })).toEqual({
      api: [],
      stage: [
        {
          op: 'create-canary',
          stage: 'dev',
          percent: 10,
          overrides: { cortexHost: NEW },
          host: NEW,
          current: OLD
        }
      ],
      variablesAtCreate: { cortexHost: OLD },
      notes: []
    })
  })

  it('gives an existing stage a canary, and writes nothing when it has it', () => {
    expect(planCanary({ stageName: 'dev', stage: stage(), current, canary }).stage).toEqual([
      {
        op: 'create-canary',
        stage: 'dev',
        percent: 10,
        overrides: { cortexHost: NEW },
        host: NEW,
        current: OLD
      }
    ])
    const has = stage({ canary: { deploymentId: 'd2', percent: 10, overrides: { cortexHost: NEW } } })
    expect(planCanary({ stageName: 'dev', stage: has, current, canary })).toEqual({
      api: [],
      stage: [],
      notes: []
    })
  })

  it('changes the share in place', () => {
    const has = stage({ canary: { deploymentId: 'd2', percent: 10, overrides: { cortexHost: NEW } } })
    expect(
      planCanary({ stageName: 'dev', stage: has, current, canary: { ...canary, percent: 50 } }).api
    ).toEqual([
      {
        op: 'update-canary',
        stage: 'dev',
        percent: 50,
        share: 50,
        set: {},
        remove: [],
        host: NEW,
        current: OLD
      }
    ])
  })

  it('promotes a canary whose cluster the stage is moved to, then removes it', () => {
    const has = stage({ canary: { deploymentId: 'd2', percent: 50, overrides: { cortexHost: NEW } } })
    // all before the deployment: nothing is left for once the stage is deployed
    expect(planCanary({ stageName: 'dev', stage: has, current: { host: NEW } })).toEqual({
      api: [
        { op: 'promote-canary', stage: 'dev', host: NEW },
        { op: 'remove-canary', stage: 'dev', current: NEW }
      ],
      stage: [],
      notes: []
    })
  })

  it('rolls back: removes the canary, the stage kept as it is', () => {
    const has = stage({ canary: { deploymentId: 'd2', percent: 50, overrides: { cortexHost: NEW } } })
    expect(planCanary({ stageName: 'dev', stage: has, current })).toEqual({
      api: [{ op: 'remove-canary', stage: 'dev', current: OLD }],
      stage: [],
      notes: []
    })
  })

  it('leaves a canary a person made, saying so', () => {
    const has = stage({ canary: { deploymentId: 'd2', percent: 5, overrides: { other: 'x' } } })
    const plan = planCanary({ stageName: 'dev', stage: has, current })
    expect(plan.api).toEqual([])
    expect(plan.notes).toEqual(['Stage "dev" has a canary the action did not make: left as it is'])
  })

  it("refuses to make its canary where a person's is, naming the input, before any write", () => {
    const has = stage({ canary: { deploymentId: 'd2', percent: 5, overrides: { other: 'x' } } })
    const canary = { backend: { host: NEW }, percent: 10, input: 'canary-load-balancer' }
    expect(() => planCanary({ stageName: 'dev', stage: has, current, canary })).toThrow(
      'Input \'canary-load-balancer\': stage "dev" has a canary the action did not make (5 % of its ' +
        'requests): remove it, or give the new cluster another stage'
    )
  })

  it('names an internal canary cluster by its own link, the one the plan makes', () => {
    const internal: { backend: Backend; percent: number } = {
      backend: { host: NEW, vpcLink: NEW_CANARY_LINK },
      percent: 10
    }
    const plan = planCanary({
      stageName: 'dev',
      stage: stage({ variables: { cortexHost: OLD, cortexVpcLink: 'l1' } }),
      current: { host: OLD, vpcLink: 'l1' },
      canary: internal
    })
    expect(plan.stage).toEqual([
      {
        op: 'create-canary',
        stage: 'dev',
        percent: 10,
        overrides: { cortexHost: NEW, cortexVpcLink: NEW_CANARY_LINK },
        host: NEW,
        current: OLD
      }
    ])
  })
})

/** A gateway the action made, internet-facing, as a re-run read it back (fixtures/plan). */
function made(
  name: 'internet-facing' | 'internal-v1',
  more: Record<string, string>
): { config: CreateConfig; found: CreateDiscovery } {
  const text = readFileSync(new URL(`./fixtures/plan/${name}.json`, import.meta.url), 'utf8')
  const fixture = JSON.parse(text) as { inputs: Record<string, string>; discovery: CreateDiscovery }
  return { config: configFrom({ ...fixture.inputs, ...more }) as CreateConfig, found: fixture.discovery }
}

const ops = (steps: Step[]) => steps.map(s => s.op)

describe('planCreate with a canary', () => {
  it('says both clusters with their shares in the plan', () => {
    const { config, found } = made('internet-facing', {
      'canary-load-balancer': NEW,
      'canary-percent': '12.5'
    })
    const current = found.loadBalancer
    const plan = planCreate(
      config,
      { ...found, canary: { loadBalancer: lb('new', NEW, 'internet-facing') } },
      OWNED
    )
    expect(plan.steps.map(s => describeStep(s))).toEqual([
      `give stage "dev" a canary: 12.5 % to ${NEW}, 87.5 % to ${current.dnsName}`
    ])
  })

  it('redeploys the canary with the stage when the methods change', () => {
    const { config, found } = made('internet-facing', {
      'canary-load-balancer': NEW,
      authorization: 'AWS_IAM'
    })
    found.api!.stage!.canary = { deploymentId: 'd0', percent: 10, overrides: { cortexHost: NEW } }
    const plan = planCreate(
      config,
      { ...found, canary: { loadBalancer: lb('new', NEW, 'internet-facing') } },
      OWNED
    )
    expect(plan.steps.find(s => s.op === 'deploy')).toEqual({
      op: 'deploy',
      stage: 'dev',
      newStage: false,
      tags: OWNED,
      canaryFollows: true
    })
    // rolled back in the same run: the canary goes, and follows nothing
    const back = made('internet-facing', { authorization: 'AWS_IAM' })
    back.found.api!.stage!.canary = { deploymentId: 'd0', percent: 10, overrides: { cortexHost: NEW } }
    const steps = planCreate(back.config, back.found, OWNED).steps
    expect(steps.find(s => s.op === 'deploy')).not.toHaveProperty('canaryFollows')
    expect(ops(steps)).toContain('remove-canary')
  })

  it('gives an internal canary a VPC link of its own, made before the canary', () => {
    const { config, found } = made('internal-v1', { 'canary-load-balancer': NEW })
    const canaryLb = lb('new', NEW, 'internal')
    const plan = planCreate(config, { ...found, canary: { loadBalancer: canaryLb } }, OWNED)
    expect(ops(plan.steps)).toEqual(['create-canary-vpc-link', 'create-canary'])
    expect(plan.steps[0]).toMatchObject({
      link: {
        version: 'v1',
        targetArn: canaryLb.arn,
        tags: { ...OWNED, 'cortex-rest-gateway:load-balancer': canaryLb.arn }
      }
    })
    expect(describeStep(plan.steps[1])).toBe(
      `give stage "dev" a canary: 10 % to ${NEW} via <new-canary-vpc-link>, ` +
        `90 % to ${found.loadBalancer.dnsName}`
    )
  })

  it.each<[string, LoadBalancer, string, RegExp]>([
    [
      'the current load balancer',
      lb('cortex', OLD, 'internet-facing'),
      'canary-load-balancer',
      /the load balancer the stage already serves/
    ],
    [
      'another scheme',
      lb('new', NEW, 'internal'),
      'canary-load-balancer',
      /is internal but the stage's load balancer .* is internet-facing/
    ]
  ])('refuses a canary that is %s, naming the input', (_what, canaryLb, input, why) => {
    const { config, found } = made('internet-facing', { [input]: canaryLb.dnsName })
    const same = {
      ...found,
      canary: {
        loadBalancer: { ...canaryLb, arn: canaryLb.name === 'cortex' ? found.loadBalancer.arn : canaryLb.arn }
      }
    }
    expect(() => planCreate(config, same, OWNED)).toThrow(new RegExp(`^Input '${input}': .*${why.source}`))
  })

  it('refuses a canary through a VPC link v2, saying why', () => {
    const { config, found } = made('internal-v1', {
      'canary-cluster-name': 'cortex-new',
      'vpc-link-version': 'v2',
      'security-group-ids': 'sg-01230123'
    })
    expect(() =>
      planCreate(config, { ...found, canary: { loadBalancer: lb('new', NEW, 'internal') } }, OWNED)
    ).toThrow(
      /^Input 'canary-cluster-name': .*VPC link v2.*'integrationTarget', which AWS takes no stage variable for/
    )
    const alb = made('internal-v1', { 'canary-load-balancer': NEW })
    expect(() =>
      planCreate(
        alb.config,
        { ...alb.found, canary: { loadBalancer: lb('new', NEW, 'internal', 'application') } },
        OWNED
      )
    ).toThrow(
      /^Input 'canary-load-balancer': new is an internal application load balancer: only a VPC link v2/
    )
  })
})

describe('the summary', () => {
  it('names both clusters with their shares', () => {
    const out = renderSummary('cortex', {
      mode: 'create',
      dryRun: true,
      region: 'us-west-2',
      outcome: 'unchanged',
      outputs: { 'api-id': 'a1', stage: 'dev', 'canary-percent': '10' },
      steps: [],
      shares: `10 % to ${NEW}, 90 % to ${OLD}`,
      calls: []
    })
    expect(out).toContain(
      // (a value in a table cell reads as itself: '%' and '.' are no markup there)
      '<tr><th align="left">Canary</th><td><code>10 % to new-2.elb.us-west-2.amazonaws.com, ' +
        '90 % to old-1.elb.us-west-2.amazonaws.com</code></td></tr>'
    )
  })
})

describe('linksUsedBy', () => {
  const method = (connectionId: string) => ({
    responses: {},
    integration: { type: 'HTTP_PROXY', connectionId, responses: {} }
  })
  const resources = [
    { id: 'r', path: '/', methods: { ANY: method('${stageVariables.cortexVpcLink}'), GET: method('lit') } }
  ]

  it('follows a link named by a stage variable to what the stages and their canaries set', () => {
    const dev = stage({
      variables: { cortexVpcLink: 'a' },
      canary: { percent: 10, overrides: { cortexVpcLink: 'b' } }
    })
    const prod = stage({ name: 'prod', variables: { cortexVpcLink: 'c' } })
    expect([...linksUsedBy({ resources, stage: dev, stages: [prod] })].sort()).toEqual(['a', 'b', 'c', 'lit'])
    expect([...linksUsedBy({ resources })]).toEqual(['lit'])
  })
})
