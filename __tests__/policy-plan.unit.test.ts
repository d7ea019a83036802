/**
 * The resource policy part of the API's settings (planPolicy), case by case: the policy as GetRestApi returns
 * it (escaped JSON text, `execute-api:/*` written out as the API's ARN), the patch and its words written out.
 */
import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../src/base/errors.js'
import type { CreateConfig } from '../src/config/inputs.js'
import type { RestApiSummary } from '../src/model/model.js'
import { canonicalPolicy, planPolicy } from '../src/features/settings/plan-policy.js'
import { configFrom } from './support/inputs.js'

const NLB = 'cortex-1.elb.us-west-2.amazonaws.com'
const ARN = 'arn:aws:execute-api:us-west-2:123456789012:abc123/*'
const settingsOf = (inputs: Record<string, string> = {}) =>
  (configFrom({ 'load-balancer': NLB, ...inputs }) as CreateConfig).settings
/** The policy as AWS returns it: its JSON text escaped. */
const escaped = (policy: unknown): string => JSON.stringify(JSON.stringify(policy)).slice(1, -1)
const api = (policy?: string): RestApiSummary => ({
  id: 'abc123',
  name: 'cortex',
  tags: {},
  endpointTypes: ['REGIONAL'],
  ...(policy === undefined ? {} : { policy })
})

const INVOKE = { Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }
const AWS_INVOKE = { Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: ARN }
const ALLOW = { Sid: 'CortexRestGatewayAllowInvoke', Effect: 'Allow', ...INVOKE }
const IPS = (...ips: string[]) => ({
  Sid: 'CortexRestGatewayAllowedSourceIps',
  Effect: 'Deny',
  ...INVOKE,
  Condition: { NotIpAddress: { 'aws:SourceIp': ips } }
})
const THEIRS = {
  Sid: 'Audit',
  Effect: 'Deny',
  ...AWS_INVOKE,
  Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.7/32' } }
}

describe('planPolicy', () => {
  it('has no part in an API without limits, a policy or the tag: nothing read, nothing written', () => {
    expect(planPolicy(settingsOf(), api(), false)).toEqual({ policy: undefined })
    expect(planPolicy(settingsOf(), undefined, false)).toEqual({ policy: undefined })
    expect(planPolicy(settingsOf(), api(escaped({ Statement: [THEIRS] })), false)).toEqual({
      policy: undefined
    })
  })

  it('gives a new API an Allow for everyone and the deny of other source IPs, written out', () => {
    const policy = { Version: '2012-10-17', Statement: [ALLOW, IPS('192.0.2.0/24', '203.0.113.0/24')] }
    expect(
      planPolicy(settingsOf({ 'allowed-source-ips': '192.0.2.0/24 203.0.113.0/24' }), undefined, false)
    ).toEqual({
      policy,
      patch: { op: 'replace', path: '/policy', value: JSON.stringify(policy) },
      change: { what: 'resource policy', from: 'none', to: '2 statements' }
    })
  })

  it("denies a PRIVATE API's callers but through its VPC endpoints", () => {
    const settings = settingsOf({ 'endpoint-type': 'PRIVATE', 'vpc-endpoint-ids': 'vpce-0123456789abcdef0' })
    expect(planPolicy(settings, undefined, false).policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        ALLOW,
        {
          Sid: 'CortexRestGatewayVpcEndpoints',
          Effect: 'Deny',
          ...INVOKE,
          Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } }
        }
      ]
    })
  })

  it("marks resource-policy's statements, keeps its Version, and adds no Allow of its own beside them", () => {
    const given = {
      Version: '2008-10-17',
      Statement: [
        { Sid: 'Mine', Effect: 'Allow', ...INVOKE },
        { Effect: 'Deny', ...INVOKE, Condition: { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24'] } } }
      ]
    }
    const settings = settingsOf({
      'resource-policy': JSON.stringify(given),
      'allowed-source-ips': '192.0.2.0/24'
    })
    expect(planPolicy(settings, undefined, false).policy).toEqual({
      Version: '2008-10-17',
      Statement: [
        { ...given.Statement[0], Sid: 'CortexRestGatewayPolicy1Mine' },
        { ...given.Statement[1], Sid: 'CortexRestGatewayPolicy2' },
        IPS('192.0.2.0/24')
      ]
    })
  })

  it('writes nothing where AWS holds the policy it wants, as AWS writes it out', () => {
    const held = {
      Version: '2012-10-17',
      Statement: [
        { ...ALLOW, ...AWS_INVOKE },
        {
          ...IPS('192.0.2.0/24'),
          ...AWS_INVOKE,
          Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }
        }
      ]
    }
    const settings = settingsOf({ 'allowed-source-ips': '192.0.2.0/24' })
    const plan = planPolicy(settings, api(escaped(held)), true)
    expect(plan).toEqual({ policy: { Version: '2012-10-17', Statement: [ALLOW, IPS('192.0.2.0/24')] } })
    // nor where the text is not escaped
    expect(planPolicy(settings, api(JSON.stringify(held)), true).patch).toBeUndefined()
    // nor where its slashes are escaped too, as GetRestApi returns them: `\/`
    expect(planPolicy(settings, api(escaped(held).replace(/\//g, '\\/')), true).patch).toBeUndefined()
  })

  it("takes its statements out, keeping a person's, and the policy whole when nothing of theirs is left", () => {
    const held = {
      Version: '2012-10-17',
      Statement: [{ ...ALLOW, ...AWS_INVOKE }, IPS('192.0.2.0/24'), THEIRS]
    }
    expect(planPolicy(settingsOf(), api(escaped(held)), true)).toEqual({
      policy: undefined,
      patch: {
        op: 'replace',
        path: '/policy',
        value: JSON.stringify({ Version: '2012-10-17', Statement: [THEIRS] })
      },
      change: {
        what: "resource policy (the action's statements removed) (1 statement of a person's kept)",
        from: '3 statements',
        to: '1 statement'
      }
    })
    const ours = { Version: '2012-10-17', Statement: [{ ...ALLOW, ...AWS_INVOKE }] }
    // marked: found even without the tag
    expect(planPolicy(settingsOf(), api(escaped(ours)), false)).toEqual({
      policy: undefined,
      patch: { op: 'replace', path: '/policy', value: '' },
      change: { what: "resource policy (the action's statements removed)", from: '1 statement', to: 'none' }
    })
  })

  it('reads a policy of one statement not in a list, and one without a Version', () => {
    const held = { Statement: THEIRS }
    const plan = planPolicy(settingsOf({ 'allowed-source-ips': '192.0.2.0/24' }), api(escaped(held)), false)
    // a person's Deny and no Allow: the action's Allow for everyone comes with its deny
    expect(JSON.parse(plan.patch!.value!)).toEqual({
      Version: '2012-10-17',
      Statement: [ALLOW, IPS('192.0.2.0/24'), THEIRS]
    })
    expect(plan.change).toEqual({
      what: "resource policy (1 statement of a person's kept)",
      from: '1 statement',
      to: '3 statements'
    })
    // one that holds no statement at all
    const none = planPolicy(
      settingsOf({ 'allowed-source-ips': '192.0.2.0/24' }),
      api('{"Version":"2012-10-17"}'),
      false
    )
    expect(none.change).toEqual({ what: 'resource policy', from: 'none', to: '2 statements' })
  })

  it('refuses to guess on a policy that is not JSON, where it has a part', () => {
    const f = () =>
      planPolicy(settingsOf({ 'allowed-source-ips': '192.0.2.0/24' }), api('{"Statement": ['), false)
    expect(f).toThrow(ActionError)
    expect(f).toThrow(
      "The API's resource policy cannot be read as JSON: the action would not know which of its statements " +
        "are a person's. Fix or remove the policy by hand"
    )
  })

  it('on a gateway from before the marks, takes as its own only the shapes it wrote then', () => {
    const deny = (Condition: unknown, more: object = {}) => ({
      Effect: 'Deny',
      ...AWS_INVOKE,
      Condition,
      ...more
    })
    const wrote = [
      { Effect: 'Allow', ...AWS_INVOKE },
      deny({ NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } }),
      deny({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } })
    ]
    const persons = [
      { Effect: 'Allow', ...AWS_INVOKE, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      deny({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, Bool: { 'aws:SecureTransport': 'false' } }),
      // a second test that sorts after the operator the action wrote: neither from the IPs nor the endpoint
      deny({
        NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        StringNotEquals: { 'aws:SourceVpce': 'vpce-1' }
      }),
      deny({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8', 'aws:VpcSourceIp': '10.0.0.0/8' } }),
      deny({ StringNotEquals: { 'aws:SourceIp': '10.0.0.0/8' } }),
      deny({ NotIpAddress: { 'aws:SourceVpce': 'vpce-1' } }),
      deny({ NotIpAddress: 'x' }),
      deny(undefined),
      { Effect: 'Audit', ...AWS_INVOKE },
      { Effect: 'Allow', ...AWS_INVOKE, Action: 'execute-api:ManageConnections' },
      ['a', 'list']
    ]
    const held = api(escaped({ Version: '2012-10-17', Statement: [...wrote, ...persons] }))
    const plan = planPolicy(settingsOf(), held, true)
    expect(JSON.parse(plan.patch!.value!)).toEqual({ Version: '2012-10-17', Statement: persons })
    // the tag says nothing once a statement is marked: then only marked ones are the action's
    const marked = api(escaped({ Statement: [...wrote, ALLOW] }))
    expect(JSON.parse(planPolicy(settingsOf(), marked, true).patch!.value!)).toEqual({
      Version: '2012-10-17',
      Statement: wrote
    })
  })

  it("takes as the action's a statement of the resource-policy given now, on a gateway from before the marks", () => {
    const mine = {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/prod/*'
    }
    const settings = settingsOf({ 'resource-policy': JSON.stringify({ Statement: [mine] }) })
    const held = api(
      escaped({ Version: '2012-10-17', Statement: [{ ...mine, Resource: `${ARN.slice(0, -1)}prod/*` }] })
    )
    expect(JSON.parse(planPolicy(settings, held, true).patch!.value!)).toEqual({
      Version: '2012-10-17',
      Statement: [{ ...mine, Sid: 'CortexRestGatewayPolicy1' }]
    })
  })

  it("takes out its marked statements beside a person's, without an input or the tag asking", () => {
    const held = { Version: '2012-10-17', Statement: [{ ...ALLOW, ...AWS_INVOKE }, THEIRS] }
    expect(planPolicy(settingsOf(), api(escaped(held)), false)).toEqual({
      policy: undefined,
      patch: {
        op: 'replace',
        path: '/policy',
        value: JSON.stringify({ Version: '2012-10-17', Statement: [THEIRS] })
      },
      change: {
        what: "resource policy (the action's statements removed) (1 statement of a person's kept)",
        from: '2 statements',
        to: '1 statement'
      }
    })
  })

  it("keeps the policy's Version: the one AWS holds for a person's statements, resource-policy's for its own", () => {
    const held = { Version: '2008-10-17', Statement: [{ ...ALLOW, ...AWS_INVOKE }, THEIRS] }
    expect(JSON.parse(planPolicy(settingsOf(), api(escaped(held)), true).patch!.value!)).toEqual({
      Version: '2008-10-17',
      Statement: [THEIRS]
    })
    const given = { Version: '2008-10-17', Statement: [{ Sid: 'Mine', Effect: 'Allow', ...INVOKE }] }
    const settings = settingsOf({ 'resource-policy': JSON.stringify(given) })
    const now = { Version: '2012-10-17', Statement: [THEIRS] }
    expect(JSON.parse(planPolicy(settings, api(escaped(now)), false).patch!.value!)).toEqual({
      Version: '2008-10-17',
      Statement: [{ ...given.Statement[0], Sid: 'CortexRestGatewayPolicy1Mine' }, THEIRS]
    })
  })

  it('writes nothing where the policy its tag records is gone and none is wanted any more', () => {
    // a person removed the whole policy since: there is nothing of the action's to take out
    expect(planPolicy(settingsOf(), api(), true)).toEqual({ policy: undefined })
    expect(planPolicy(settingsOf(), api(''), true)).toEqual({ policy: undefined })
  })

  it("keeps a person's statement as they wrote it: a backslash, a number, a boolean in its condition", () => {
    const probe = {
      Sid: 'Probes',
      Effect: 'Deny',
      ...AWS_INVOKE,
      Condition: {
        StringLike: { 'aws:UserAgent': 'probe\\*' },
        NumericLessThan: { 'aws:EpochTime': 1767225600 },
        Bool: { 'aws:SecureTransport': false }
      }
    }
    const held = api(escaped({ Version: '2012-10-17', Statement: [probe] }))
    const plan = planPolicy(settingsOf({ 'allowed-source-ips': '192.0.2.0/24' }), held, false)
    expect(JSON.parse(plan.patch!.value!)).toEqual({
      Version: '2012-10-17',
      Statement: [ALLOW, IPS('192.0.2.0/24'), probe]
    })
  })
})

describe('canonicalPolicy', () => {
  it('leaves a text that is not JSON as it is', () => {
    expect(canonicalPolicy('not json', 'abc123')).toBe('not json')
  })

  it("writes the API's ARN back as execute-api:/ in any partition, only for this API and at the start", () => {
    expect(
      canonicalPolicy({ Resource: 'arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/*' }, 'abc123')
    ).toBe('{"Resource":"execute-api:/*"}')
    expect(
      canonicalPolicy({ Resource: 'arn:aws:execute-api:us-west-2:123456789012:abc1234/*' }, 'abc123')
    ).toBe('{"Resource":"arn:aws:execute-api:us-west-2:123456789012:abc1234/*"}')
    expect(
      canonicalPolicy({ Resource: 'x arn:aws:execute-api:us-west-2:123456789012:abc123/*' }, 'abc123')
    ).toBe('{"Resource":"x arn:aws:execute-api:us-west-2:123456789012:abc123/*"}')
    expect(
      canonicalPolicy({ Resource: 'arn:aws:execute-api:us-west-2:12345678901:abc123/*' }, 'abc123')
    ).toBe('{"Resource":"arn:aws:execute-api:us-west-2:12345678901:abc123/*"}')
    expect(canonicalPolicy({ Resource: ARN }, undefined)).toBe(`{"Resource":"${ARN}"}`)
  })

  it('drops absent keys, takes a list of one as its item, and only {"AWS": "*"} as *', () => {
    expect(
      canonicalPolicy({ b: undefined, a: ['x'], p: { AWS: ['*'] }, q: { AWS: 'arn:x' } }, 'abc123')
    ).toBe('{"a":"x","p":"*","q":{"AWS":"arn:x"}}')
    expect(canonicalPolicy({ p: { AWS: '*', Service: 'x' } }, 'abc123')).toBe(
      '{"p":{"AWS":"*","Service":"x"}}'
    )
    expect(canonicalPolicy({ p: { Service: '*' } }, 'abc123')).toBe('{"p":{"Service":"*"}}')
    expect(canonicalPolicy([[2, 1], 'a', { b: 1 }], undefined)).toBe('["a",[1,2],{"b":1}]')
  })

  it('writes keys in one order, at every depth, whatever order AWS returns them in', () => {
    expect(canonicalPolicy({ Sid: 's', Effect: 'Deny', Condition: { b: 1, a: 2 } }, undefined)).toBe(
      '{"Condition":{"a":2,"b":1},"Effect":"Deny","Sid":"s"}'
    )
    // the text AWS returns, escaped, and the object, in another order, are one policy
    expect(canonicalPolicy('{\\"b\\":\\"x\\",\\"a\\":[\\"2\\",\\"1\\"]}', undefined)).toBe(
      '{"a":["1","2"],"b":"x"}'
    )
  })
})
