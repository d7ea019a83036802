/**
 * The canary planner case by case: the stage's variables, its canary made, changed, promoted or removed, and
 * the canary as a feature of the create plan (its VPC link, the variables a v2 link leaves behind). The
 * stage is written out as GetStage answers; the steps are written out by hand.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { InputError } from '../src/base/errors.js'
import type { CreateConfig } from '../src/config/inputs.js'
import type { Route } from '../src/core/links.js'
import type { CreateDiscovery } from '../src/core/plan.js'
import { canaryLinks, planCanaryFeature } from '../src/features/canary/plan-feature.js'
import {
  checkCanary,
  diffVariables,
  NEW_CANARY_LINK,
  planCanary,
  variablesOf,
  type Backend,
  type CanaryStep
} from '../src/features/canary/plan.js'
import type { LoadBalancer, Scheme, StageState, VpcLink } from '../src/model/model.js'
import { configFrom } from './support/inputs.js'

const OLD = 'old-1.elb.us-west-2.amazonaws.com'
const NEW = 'new-2.elb.us-west-2.amazonaws.com'
const NEWER = 'newer-3.elb.us-west-2.amazonaws.com'
const stage = (more: Partial<StageState> = {}): StageState => ({
  name: 'dev',
  deploymentId: 'd1',
  tags: {},
  variables: { cortexHost: OLD },
  ...more
})
const withCanary = (overrides: Record<string, string>, percent = 10, variables = { cortexHost: OLD }) =>
  stage({ variables, canary: { deploymentId: 'd2', percent, overrides } })

describe('the variables that name a backend', () => {
  it('are its host, and its VPC link where it has one', () => {
    expect(variablesOf({ host: OLD })).toStrictEqual({ cortexHost: OLD })
    expect(variablesOf({ host: OLD, vpcLink: 'l1' })).toStrictEqual({ cortexHost: OLD, cortexVpcLink: 'l1' })
    expect(variablesOf({ host: OLD, vpcLink: NEW_CANARY_LINK })).toStrictEqual({
      cortexHost: OLD,
      cortexVpcLink: NEW_CANARY_LINK
    })
  })

  it("differ by what is set otherwise or missing, and by the action's variables held in vain only", () => {
    expect(diffVariables({ cortexHost: NEW }, { cortexHost: OLD, cortexVpcLink: 'l1', person: 'x' })).toEqual(
      {
        set: { cortexHost: NEW },
        remove: ['cortexVpcLink']
      }
    )
    expect(diffVariables({ cortexHost: OLD, cortexVpcLink: 'l2' }, { cortexHost: OLD })).toEqual({
      set: { cortexVpcLink: 'l2' },
      remove: []
    })
    expect(diffVariables({ cortexHost: OLD }, { cortexHost: OLD })).toEqual({ set: {}, remove: [] })
  })
})

describe('planCanary on a stage that is there', () => {
  const current = { host: OLD }

  it('sets the variables that differ and removes the link variable no longer used', () => {
    const had = stage({ variables: { cortexHost: NEW, cortexVpcLink: 'l1', person: 'x' } })
    expect(planCanary({ stageName: 'dev', stage: had, current })).toEqual({
      api: [
        {
          op: 'set-stage-variables',
          stage: 'dev',
          set: { cortexHost: OLD },
          remove: ['cortexVpcLink'],
          host: OLD
        }
      ],
      stage: [],
      notes: []
    })
    // a stage without variables (made before them)
    expect(planCanary({ stageName: 'dev', stage: stage({ variables: undefined }), current }).api).toEqual([
      { op: 'set-stage-variables', stage: 'dev', set: { cortexHost: OLD }, remove: [], host: OLD }
    ])
  })

  it('removes, without promoting, a canary whose cluster the stage serves already', () => {
    const had = withCanary({ cortexHost: NEW }, 50, { cortexHost: NEW })
    expect(planCanary({ stageName: 'dev', stage: had, current: { host: NEW } })).toEqual({
      api: [{ op: 'remove-canary', stage: 'dev', current: NEW }],
      stage: [],
      notes: []
    })
  })

  it('moves the stage, then removes the canary, when the canary reaches the cluster otherwise', () => {
    // the canary goes through a link the stage does not: promoting it would keep that link
    const had = withCanary({ cortexHost: NEW, cortexVpcLink: 'l9' }, 50)
    expect(planCanary({ stageName: 'dev', stage: had, current: { host: NEW } }).api).toEqual([
      { op: 'set-stage-variables', stage: 'dev', set: { cortexHost: NEW }, remove: [], host: NEW },
      { op: 'remove-canary', stage: 'dev', current: NEW }
    ])
  })

  it('points its canary at another cluster, keeping the share', () => {
    const had = withCanary({ cortexHost: NEW, cortexVpcLink: 'l9' })
    const plan = planCanary({
      stageName: 'dev',
      stage: had,
      current,
      canary: { backend: { host: NEWER }, percent: 10 }
    })
    expect(plan).toEqual({
      api: [
        {
          op: 'update-canary',
          stage: 'dev',
          share: 10,
          set: { cortexHost: NEWER },
          remove: ['cortexVpcLink'],
          host: NEWER,
          current: OLD
        }
      ],
      stage: [],
      notes: []
    })
    expect(plan.api[0]).not.toHaveProperty('percent')
  })

  // each difference alone is enough: a variable of the action's held in vain names a link, which then counts
  // as used (docs/ownership.md), so it must go even when nothing else changes
  it.each<[string, StageState, Backend | undefined, CanaryStep[]]>([
    [
      "the stage's link variable held in vain: removed alone",
      stage({ variables: { cortexHost: OLD, cortexVpcLink: 'l1' } }),
      undefined,
      [{ op: 'set-stage-variables', stage: 'dev', set: {}, remove: ['cortexVpcLink'], host: OLD }]
    ],
    [
      'the canary moved to another cluster, the share kept: its host alone',
      withCanary({ cortexHost: NEW }),
      { host: NEWER },
      [
        {
          op: 'update-canary',
          stage: 'dev',
          share: 10,
          set: { cortexHost: NEWER },
          remove: [],
          host: NEWER,
          current: OLD
        }
      ]
    ],
    [
      "the canary's link variable held in vain: removed alone",
      withCanary({ cortexHost: NEW, cortexVpcLink: 'l9' }),
      { host: NEW },
      [
        {
          op: 'update-canary',
          stage: 'dev',
          share: 10,
          set: {},
          remove: ['cortexVpcLink'],
          host: NEW,
          current: OLD
        }
      ]
    ],
    ['the canary as wanted: nothing', withCanary({ cortexHost: NEW }), { host: NEW }, []]
  ])('writes what differs, and only that: %s', (_, had, to, api) => {
    const canary = to && { backend: to, percent: 10 }
    expect(planCanary({ stageName: 'dev', stage: had, current, canary })).toEqual({
      api,
      stage: [],
      notes: []
    })
  })

  it("names the canary's input when a person's canary is in the way, 'canary-load-balancer' by default", () => {
    const had = withCanary({ other: 'x' }, 5)
    let error: unknown
    try {
      planCanary({ stageName: 'dev', stage: had, current, canary: { backend: { host: NEW }, percent: 10 } })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toBe(
      'Input \'canary-load-balancer\': stage "dev" has a canary the action did not make (5 % of its requests): ' +
        'remove it, or give the new cluster another stage'
    )
  })

  it('makes no canary on a new stage without one', () => {
    expect(planCanary({ stageName: 'dev', current: { host: OLD, vpcLink: 'l1' } })).toEqual({
      api: [],
      stage: [],
      variablesAtCreate: { cortexHost: OLD, cortexVpcLink: 'l1' },
      notes: []
    })
  })
})

const lb = (name: string, dnsName: string, scheme: Scheme, type = 'network'): LoadBalancer => ({
  arn: `arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/${name}/0123`,
  name,
  dnsName,
  scheme,
  type,
  subnetIds: [],
  securityGroupIds: []
})

describe('checkCanary', () => {
  const current = lb('cortex', OLD, 'internal')
  const routes: Record<string, Route> = {
    v1: { scheme: 'internal', vpcLink: { version: 'v1' } },
    v2: { scheme: 'internal', vpcLink: { version: 'v2', subnetIds: [], securityGroupIds: [] } },
    none: { scheme: 'internet-facing' }
  }
  const check =
    (canary: LoadBalancer, version: 'v1' | 'v2' | 'none' = 'none') =>
    () =>
      checkCanary('canary-cluster-name', current, routes[version], canary) as unknown

  it('takes a new cluster reached as the stage reaches its own', () => {
    expect(check(lb('new', NEW, 'internal'), 'v1')()).toBeUndefined()
  })

  it('refuses the same load balancer, another scheme, a v2 link, an internal one not a network one', () => {
    expect(check({ ...lb('cortex', OLD, 'internal') }, 'v1')).toThrow(
      `Input 'canary-cluster-name': is cortex (${OLD}), the load balancer the stage already serves: name the ` +
        "new cluster's API load balancer"
    )
    expect(check(lb('new', NEW, 'internet-facing'))).toThrow(
      "Input 'canary-cluster-name': new is internet-facing but the stage's load balancer cortex is internal: " +
        'a canary reaches its cluster through the same integrations, whose connection type no stage variable ' +
        'can change'
    )
    expect(check(lb('new', NEW, 'internal'), 'v2')).toThrow(
      "Input 'canary-cluster-name': the stage reaches cortex through a VPC link v2, whose integrations name " +
        "their load balancer in 'integrationTarget', which AWS takes no stage variable for (only the link's " +
        'id): no canary can send a share to another load balancer that way; use v1 links to Network Load ' +
        'Balancers'
    )
    expect(check(lb('new', NEW, 'internal', 'application'), 'v1')).toThrow(
      "Input 'canary-cluster-name': new is an internal application load balancer: only a VPC link v2 reaches " +
        "one, and a v2 integration names its load balancer in 'integrationTarget', which AWS takes no stage " +
        'variable for: give the new cluster a Network Load Balancer'
    )
  })
})

/** A gateway the action made, as a re-run read it back (fixtures/plan). */
function made(name: string, more: Record<string, string> = {}) {
  const text = readFileSync(new URL(`./fixtures/plan/${name}.json`, import.meta.url), 'utf8')
  const fixture = JSON.parse(text) as { inputs: Record<string, string>; discovery: CreateDiscovery }
  return { config: configFrom({ ...fixture.inputs, ...more }) as CreateConfig, found: fixture.discovery }
}
const TAGS = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'local',
  'cortex-rest-gateway:api-name': 'cortex'
}
const CANARY_LB = lb('new', NEW, 'internal')
const link = (status: string, more: Partial<VpcLink> = {}): VpcLink => ({
  version: 'v1',
  id: 'canarylink',
  name: 'cortex-vpc-link',
  status,
  targetArns: [CANARY_LB.arn],
  subnetIds: [],
  securityGroupIds: [],
  tags: { ...TAGS, 'cortex-rest-gateway:load-balancer': CANARY_LB.arn },
  ...more
})

describe('the canary as a feature of the create plan', () => {
  /** The backend the stage serves: its load balancer, through the gateway's link where it has one. */
  const current = (found: CreateDiscovery) => {
    const vpcLink = found.api?.stage?.variables?.cortexVpcLink
    return { host: found.loadBalancer.dnsName, ...(vpcLink ? { vpcLink } : {}) }
  }
  const feature = (found: CreateDiscovery, config: CreateConfig, backend = current(found)) =>
    planCanaryFeature({ config, found, tags: TAGS, existing: found.api?.summary, twinIds: [], backend })

  it('makes an internal canary its own VPC link where none reaches its cluster', () => {
    const { config, found } = made('internal-v1', { 'canary-load-balancer': NEW, 'canary-percent': '20' })
    const plan = feature({ ...found, canary: { loadBalancer: CANARY_LB } }, config)
    expect(plan.parts.api?.steps).toEqual([
      {
        op: 'create-canary-vpc-link',
        link: {
          version: 'v1',
          name: 'cortex-vpc-link',
          targetArn: CANARY_LB.arn,
          tags: { ...TAGS, 'cortex-rest-gateway:load-balancer': CANARY_LB.arn }
        }
      }
    ])
    expect(plan.keepLinks).toEqual([])
    expect(plan.parts.stage?.steps).toEqual([
      {
        op: 'create-canary',
        stage: 'dev',
        percent: 20,
        overrides: { cortexHost: NEW, cortexVpcLink: NEW_CANARY_LINK },
        host: NEW,
        current: found.loadBalancer.dnsName
      }
    ])
  })

  it.each([
    ['AVAILABLE', []],
    ['INACTIVE', []],
    ['PENDING', [{ op: 'wait-vpc-link', vpcLinkId: 'canarylink', version: 'v1' }]]
  ])('goes through a link there already (%s), waiting for it only while it is made', (status, wait) => {
    const { config, found } = made('internal-v1', { 'canary-load-balancer': NEW })
    const l = link(status)
    const plan = feature(
      { ...found, vpcLinks: [...(found.vpcLinks ?? []), l], canary: { loadBalancer: CANARY_LB } },
      config
    )
    expect(plan.keepLinks).toEqual([l])
    expect(plan.parts.api?.steps).toEqual(wait)
    expect(plan.parts.stage?.steps).toEqual([
      expect.objectContaining({
        op: 'create-canary',
        overrides: { cortexHost: NEW, cortexVpcLink: 'canarylink' }
      })
    ])
  })

  it('sends an internet-facing canary to its host, with no link', () => {
    const { config, found } = made('internet-facing', { 'canary-load-balancer': NEW })
    const plan = feature({ ...found, canary: { loadBalancer: lb('new', NEW, 'internet-facing') } }, config)
    expect(plan.keepLinks).toEqual([])
    expect(plan.parts.api?.steps).toEqual([])
    expect(plan.parts.stage?.steps).toEqual([
      {
        op: 'create-canary',
        stage: 'dev',
        percent: 10,
        overrides: { cortexHost: NEW },
        host: NEW,
        current: found.loadBalancer.dnsName
      }
    ])
  })

  it("passes on the note of a person's canary, left as it is", () => {
    const { config, found } = made('internet-facing')
    const person = {
      ...found.api!.stage!,
      canary: { deploymentId: 'd2', percent: 5, overrides: { other: 'x' } }
    }
    const plan = feature({ ...found, api: { ...found.api!, stage: person } }, config)
    expect(plan.parts.api).toEqual({
      steps: [],
      warnings: [],
      notes: ['Stage "dev" has a canary the action did not make: left as it is']
    })
  })

  it('stops, before any write, when the canary was asked for and not discovered', () => {
    const { config, found } = made('internet-facing', { 'canary-load-balancer': NEW })
    expect(() => feature(found, config)).toThrow(
      'internal error: the canary load balancer was not discovered'
    )
  })

  it('through a v2 link, removes the variables and the canary the stage had of its own', () => {
    const { config, found } = made('internal-v1')
    const st = found.api!.stage!
    const had = { ...st, canary: { deploymentId: 'd2', percent: 10, overrides: { cortexHost: NEW } } }
    const plan = planCanaryFeature({
      config,
      found: { ...found, api: { ...found.api!, stage: had } },
      tags: TAGS,
      twinIds: []
    })
    const host = found.loadBalancer.dnsName
    expect(plan).toEqual({
      parts: {
        stage: {
          steps: [
            { op: 'remove-canary', stage: 'dev', current: host },
            {
              op: 'set-stage-variables',
              stage: 'dev',
              set: {},
              remove: ['cortexHost', 'cortexVpcLink'],
              host
            }
          ],
          warnings: [],
          notes: []
        }
      }
    })
    // a person's canary stays; a stage without variables has none to remove
    const person = {
      ...st,
      variables: undefined,
      canary: { deploymentId: 'd2', percent: 10, overrides: { x: 'y' } }
    }
    expect(
      planCanaryFeature({
        config,
        found: { ...found, api: { ...found.api!, stage: person } },
        tags: TAGS,
        twinIds: []
      }).parts.stage?.steps
    ).toEqual([])
    const { api: _api, ...none } = found
    expect(planCanaryFeature({ config, found: none, tags: TAGS, twinIds: [] }).parts.stage?.steps).toEqual([])
  })
})

describe('canaryLinks: the VPC link of ours an internal canary goes through', () => {
  const l = link('AVAILABLE')
  const found = { vpcLinks: [l], api: undefined }

  it("is the link to the canary's load balancer, for an internal canary only", () => {
    const { config } = made('internal-v1', { 'canary-load-balancer': NEW })
    expect(canaryLinks(config, CANARY_LB, found)).toEqual([l])
    // the callers pass none of these (no canary, or one refused first), but a link kept here is never removed
    expect(canaryLinks(made('internal-v1').config, undefined, found)).toEqual([])
    expect(canaryLinks(made('internal-v1').config, CANARY_LB, found)).toEqual([])
    expect(canaryLinks(config, { ...CANARY_LB, scheme: 'internet-facing' }, found)).toEqual([])
  })
})
