/**
 * The resource policy's statements (issue 20, hole 7): the action's carry its mark and are its own to
 * change and remove; any other statement is a person's and stays. Pure: planApiSettings on what AWS holds.
 */
import { describe, expect, it } from '@jest/globals'
import type { CreateConfig } from '../src/config/inputs.js'
import type { RestApiSummary } from '../src/model/model.js'
import { planApiSettings } from '../src/features/settings/plan.js'
import { configFrom } from './support/inputs.js'

const NLB = 'a9eaf69fd125947abb1065f62de59047-81cdebc0275f7d96.elb.us-west-2.amazonaws.com'
const ARN = 'arn:aws:execute-api:us-west-2:123456789012:abc123/*'
const settingsOf = (inputs: Record<string, string>) =>
  (configFrom({ 'load-balancer': NLB, ...inputs }) as CreateConfig).settings

/** A REST API as discovery maps it, its policy as AWS returns it: escaped, `execute-api:/*` written out. */
function apiWith(statements: unknown[], tags: Record<string, string> = {}): RestApiSummary {
  const text = JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: statements })).slice(1, -1)
  return { id: 'abc123', name: 'cortex', tags, endpointTypes: ['REGIONAL'], policy: text }
}

/** The policy a plan writes, or undefined when it leaves the policy alone. */
function written(
  part: ReturnType<typeof planApiSettings>
): { Statement: Record<string, unknown>[] } | undefined {
  for (const step of part.steps) {
    if (step.op !== 'update-api') continue
    const patch = step.patches.find(p => p.path === '/policy')
    if (patch)
      return patch.value
        ? (JSON.parse(patch.value) as { Statement: Record<string, unknown>[] })
        : { Statement: [] }
  }
  return undefined
}

const INVOKE = { Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: ARN }
const THEIRS = {
  Sid: 'BlockScanner',
  Effect: 'Deny',
  ...INVOKE,
  Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.7/32' } }
}
const OLD_DENY = {
  Effect: 'Deny',
  ...INVOKE,
  Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }
}
const TAGGED = { 'cortex-rest-gateway:api-settings': 'policy' }

describe('resource policy statements', () => {
  it('on a gateway from before the marks (tagged policy), replaces what it wrote then, keeps the rest', () => {
    const api = apiWith([{ Effect: 'Allow', ...INVOKE }, OLD_DENY, THEIRS], TAGGED)
    const policy = written(
      planApiSettings(settingsOf({ 'allowed-source-ips': '192.0.2.0/24' }), 'REGIONAL', api)
    )!
    expect(policy.Statement.map(st => st.Sid)).toEqual([
      'CortexRestGatewayAllowInvoke',
      'CortexRestGatewayAllowedSourceIps',
      'BlockScanner'
    ])
    expect(JSON.stringify(policy)).not.toContain('203.0.113.0/24')
  })

  it('counts no unmarked statement as its own without the tag, whatever its shape', () => {
    const api = apiWith([{ Effect: 'Allow', ...INVOKE }, OLD_DENY])
    const part = planApiSettings(settingsOf({ 'allowed-source-ips': '192.0.2.0/24' }), 'REGIONAL', api)
    const policy = written(part)!
    // their Allow stays theirs (no Allow of the action's beside it), their deny too
    expect(policy.Statement).toHaveLength(3)
    expect(JSON.stringify(policy)).toContain('203.0.113.0/24')
    expect(part.steps.flatMap(s => (s.op === 'update-api' ? s.changes : []))).toContainEqual({
      what: "resource policy (2 statements of a person's kept)",
      from: '2 statements',
      to: '3 statements'
    })
  })

  it("once marked, counts only marked statements as its own: an unmarked one of its old shape is a person's", () => {
    const mine = { Sid: 'CortexRestGatewayAllowedSourceIps', ...OLD_DENY }
    const api = apiWith([mine, OLD_DENY], TAGGED)
    const policy = written(planApiSettings(settingsOf({}), 'REGIONAL', api))!
    expect(policy.Statement).toHaveLength(1)
    expect(policy.Statement[0]).not.toHaveProperty('Sid')
  })

  it('removes its statements, and the policy with them when nothing of a person is left', () => {
    const mine = { Sid: 'CortexRestGatewayAllowedSourceIps', ...OLD_DENY }
    const part = planApiSettings(settingsOf({}), 'REGIONAL', apiWith([mine], TAGGED))
    expect(written(part)).toEqual({ Statement: [] })
    expect(part.steps).toContainEqual({ op: 'untag-api', keys: ['cortex-rest-gateway:api-settings'] })
  })

  it('leaves a policy it has no part in alone, without reading it, even one that is not JSON', () => {
    const api = { ...apiWith([THEIRS]), policy: '{not json' }
    expect(planApiSettings(settingsOf({}), 'REGIONAL', api).steps).toEqual([])
    expect(written(planApiSettings(settingsOf({}), 'REGIONAL', apiWith([THEIRS])))).toBeUndefined()
  })

  it("keeps a person's statement whose Sid only starts like the action's marks", () => {
    const audit = { ...THEIRS, Sid: 'CortexRestGatewayAuditTeam' }
    const api = apiWith([{ Sid: 'CortexRestGatewayAllowedSourceIps', ...OLD_DENY }, audit], TAGGED)
    const policy = written(planApiSettings(settingsOf({}), 'REGIONAL', api))!
    expect(policy.Statement.map(st => st.Sid)).toEqual(['CortexRestGatewayAuditTeam'])
  })

  it("leaves alone a person's policy whose only likeness to the action's is a Sid's first letters", () => {
    const text = JSON.stringify(JSON.stringify({ Statement: [{ ...THEIRS, Sid: 'CortexRestGatewayAudit' }] }))
    const api = { ...apiWith([]), policy: text.slice(1, -1) }
    expect(planApiSettings(settingsOf({}), 'REGIONAL', api).steps).toEqual([])
  })

  it("adds no Allow for everyone beside a person's own Allow: their limit stays a limit", () => {
    // a person let in only their VPC; allowed-source-ips must narrow that, not open the API to all
    const onlyVpc = {
      Sid: 'OnlyOurVpc',
      Effect: 'Allow',
      ...INVOKE,
      Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0123456789abcdef0' } }
    }
    const policy = written(
      planApiSettings(settingsOf({ 'allowed-source-ips': '192.0.2.0/24' }), 'REGIONAL', apiWith([onlyVpc]))
    )!
    expect(policy.Statement.map(st => st.Sid)).toEqual(['CortexRestGatewayAllowedSourceIps', 'OnlyOurVpc'])
  })

  it('keeps its Allow for everyone where a person added an Allow of their own beside it', () => {
    const ip = { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } }
    const partner = { Sid: 'Partner', Effect: 'Allow', ...INVOKE, Principal: { AWS: '210987654321' } }
    const api = apiWith(
      [
        { Sid: 'CortexRestGatewayAllowInvoke', Effect: 'Allow', ...INVOKE },
        { Sid: 'CortexRestGatewayAllowedSourceIps', Effect: 'Deny', ...INVOKE, Condition: ip },
        partner
      ],
      TAGGED
    )
    const part = planApiSettings(settingsOf({ 'allowed-source-ips': '192.0.2.0/24' }), 'REGIONAL', api)
    expect(written(part)).toBeUndefined()
  })

  it("writes resource-policy's statements with the mark before the user's own Sid", () => {
    const given = {
      Statement: [
        {
          Sid: 'Mine',
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*'
        }
      ]
    }
    const part = planApiSettings(
      settingsOf({ 'resource-policy': JSON.stringify(given) }),
      'REGIONAL',
      undefined
    )
    expect((JSON.parse(part.create.policy!) as { Statement: { Sid: string }[] }).Statement[0].Sid).toBe(
      'CortexRestGatewayPolicy1Mine'
    )
  })
})
