/**
 * The VPC link rules of the planner (through src/core/plan.ts): which link leads to the load
 * balancer, which one a gateway takes, when one of ours is spare or orphaned, how it is deleted.
 */
import { describe, expect, it } from '@jest/globals'
import {
  chooseLink,
  deleteLink,
  isOrphan,
  linkLeadsTo,
  linksUsedBy,
  sameSet,
  spareLinks
} from '../src/core/plan.js'
import type { LoadBalancer, ResourceState, RestApiSummary, VpcLink } from '../src/model/model.js'

const OWNER = 'org/repo'
const ours = (apiName = 'cortex') => ({
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': OWNER,
  'cortex-rest-gateway:api-name': apiName
})
const theirs = { ...ours(), 'cortex-rest-gateway:repository': 'x/y' }
const NLB = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex/1'
const lb: LoadBalancer = {
  arn: NLB,
  name: 'cortex',
  dnsName: 'cortex-1.elb.us-west-2.amazonaws.com',
  scheme: 'internal',
  type: 'network',
  subnetIds: ['subnet-b', 'subnet-a'],
  securityGroupIds: []
}
const v1 = (id: string, tags: Record<string, string>, status = 'AVAILABLE', target = NLB): VpcLink => ({
  version: 'v1',
  id,
  name: id,
  status,
  targetArns: [target],
  subnetIds: [],
  securityGroupIds: [],
  tags
})
const v2 = (id: string, tags: Record<string, string>, subnetIds = ['subnet-b', 'subnet-a']): VpcLink => ({
  version: 'v2',
  id,
  name: id,
  status: 'AVAILABLE',
  targetArns: [],
  subnetIds,
  securityGroupIds: ['sg-1'],
  tags
})
const through = (...ids: string[]): { resources: ResourceState[] } => ({
  resources: [
    {
      id: 'r',
      path: '/',
      methods: Object.fromEntries(
        ids.map((id, i) => [
          `M${i}`,
          { responses: {}, integration: { type: 'HTTP_PROXY', connectionId: id, responses: {} } }
        ])
      )
    },
    {
      id: 'p',
      path: '/{proxy+}',
      methods: { ANY: { responses: {}, integration: { type: 'MOCK', responses: {} } } }
    }
  ]
})
const apiNamed = (name: string): RestApiSummary => ({
  id: name,
  name,
  tags: ours(name),
  endpointTypes: ['REGIONAL']
})

describe('sameSet', () => {
  it('is true for the same members in any order, false for others or another count', () => {
    expect(sameSet(['a', 'b'], ['b', 'a'])).toBe(true)
    expect(sameSet([], [])).toBe(true)
    expect(sameSet(['a', 'b'], ['a', 'c'])).toBe(false)
    expect(sameSet(['a'], ['a', 'a'])).toBe(false)
    expect(sameSet(['a', 'a'], ['a'])).toBe(false)
  })
})

describe('linkLeadsTo', () => {
  const t1 = { version: 'v1' as const, targetArn: NLB }
  const t2 = { version: 'v2' as const, subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: ['sg-1'] }

  it('takes a live v1 link to the load balancer, whoever made it', () => {
    expect(linkLeadsTo(v1('l', {}), t1, OWNER)).toBe(true)
    expect(linkLeadsTo(v1('l', {}, 'PENDING'), t1, OWNER)).toBe(true)
    expect(linkLeadsTo(v1('l', {}, 'FAILED'), t1, OWNER)).toBe(false)
    expect(linkLeadsTo(v1('l', {}, 'DELETING'), t1, OWNER)).toBe(false)
    expect(linkLeadsTo(v1('l', {}, 'AVAILABLE', 'arn:other'), t1, OWNER)).toBe(false)
    expect(linkLeadsTo(v2('l', ours()), t1, OWNER)).toBe(false)
  })

  it('takes a v2 link only of ours, from the same subnets and security groups', () => {
    expect(linkLeadsTo(v2('l', ours()), t2, OWNER)).toBe(true)
    expect(linkLeadsTo(v2('l', {}), t2, OWNER)).toBe(false)
    expect(linkLeadsTo(v2('l', ours(), ['subnet-a']), t2, OWNER)).toBe(false)
    expect(linkLeadsTo({ ...v2('l', ours()), securityGroupIds: ['sg-2'] }, t2, OWNER)).toBe(false)
    expect(linkLeadsTo(v1('l', ours()), t2, OWNER)).toBe(false)
  })
})

describe('chooseLink', () => {
  const config = { owner: OWNER, apiName: 'cortex' }
  const want = { version: 'v1' as const }

  it('takes the link the API goes through, then one made for it, then ours, then a person’s', () => {
    const links = [v1('p1', {}), v1('o1', ours('other')), v1('m1', ours('cortex')), v1('u1', ours('other'))]
    expect(chooseLink(config, lb, want, { vpcLinks: links, api: undefined }).link?.id).toBe('m1')
    expect(
      chooseLink(config, lb, want, {
        vpcLinks: links,
        api: { summary: apiNamed('cortex'), ...through('u1') }
      }).link?.id
    ).toBe('u1')
    expect(
      chooseLink(config, lb, want, { vpcLinks: [v1('p1', {}), v1('o2', ours('x')), v1('o1', ours('x'))] })
        .link?.id
    ).toBe('o1')
    expect(chooseLink(config, lb, want, { vpcLinks: [v1('p2', {}), v1('p1', {})] }).link?.id).toBe('p1')
  })

  it('never takes another repository’s link, even one the API goes through, and says so', () => {
    const found = { vpcLinks: [v1('t1', theirs)], api: { summary: apiNamed('cortex'), ...through('t1') } }
    expect(chooseLink(config, lb, want, found)).toEqual({
      link: undefined,
      notes: ['VPC link t1 also reaches cortex but is made by this action from repository x/y: not shared']
    })
  })

  it('takes none where no link leads to the load balancer', () => {
    expect(chooseLink(config, lb, want, { vpcLinks: [v1('x', ours(), 'FAILED')] })).toEqual({
      link: undefined,
      notes: []
    })
    expect(chooseLink(config, lb, want, {})).toEqual({ link: undefined, notes: [] })
  })
})

describe('linksUsedBy', () => {
  it('collects the links the integrations go through', () => {
    expect([...linksUsedBy(through('a', 'b', 'a'))].sort()).toEqual(['a', 'b'])
    expect(linksUsedBy(undefined).size).toBe(0)
  })
})

describe('deleteLink', () => {
  it('deletes a link, unless another gateway found going through it still does', () => {
    expect(deleteLink(v1('l1', ours()), undefined)).toEqual({
      op: 'delete-vpc-link',
      vpcLinkId: 'l1',
      version: 'v1'
    })
    expect(deleteLink(v2('l2', ours()), new Map([['l2', []]]))).toEqual({
      op: 'delete-vpc-link',
      vpcLinkId: 'l2',
      version: 'v2'
    })
    expect(deleteLink(v1('l1', ours()), new Map([['l1', ['api2']]]))).toEqual({
      op: 'delete-vpc-link',
      vpcLinkId: 'l1',
      version: 'v1',
      unlessUsedBy: ['api2']
    })
  })
})

describe('isOrphan and spareLinks', () => {
  it('takes a settled link of ours whose gateway is gone for an orphan', () => {
    for (const status of ['AVAILABLE', 'FAILED', 'INACTIVE'])
      expect(isOrphan(v1('l', ours('gone'), status), OWNER, [apiNamed('cortex')])).toBe(true)
    expect(isOrphan(v1('l', ours('gone'), 'PENDING'), OWNER, [])).toBe(false)
    expect(isOrphan(v1('l', ours('cortex')), OWNER, [apiNamed('cortex')])).toBe(false)
    expect(isOrphan(v1('l', theirs), OWNER, [])).toBe(false)
  })

  it('spares the links made for this API or used by it until now, orphans too, never the one kept', () => {
    const config = { owner: OWNER, apiName: 'cortex' }
    const links = [
      v1('made', ours('cortex')),
      v1('used', ours('other')),
      v1('orphan', ours('gone')),
      v1('kept', ours('cortex')),
      v1('pending', ours('cortex'), 'PENDING'),
      v1('person', {}),
      v1('theirs', theirs),
      v1('busy', ours('other'))
    ]
    const found = {
      vpcLinks: links,
      api: { summary: apiNamed('cortex'), ...through('used', 'person', 'theirs') },
      ours: [apiNamed('cortex'), apiNamed('other')]
    }
    expect(spareLinks(config, found, [links[3]]).map(l => l.id)).toEqual(['made', 'used', 'orphan'])
    expect(spareLinks(config, { vpcLinks: [v1('made', ours('cortex'))] }, []).map(l => l.id)).toEqual([
      'made'
    ])
    expect(spareLinks(config, {}, [])).toEqual([])
  })
})
