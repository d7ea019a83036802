/** Pure parts the emulator cannot show: the custom domain inputs and plan, the certificate patch, policy comparison. */
import { describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { APIGatewayClient, UpdateDomainNameCommand } from '@aws-sdk/client-api-gateway'
import { setDomainCertificate } from '../src/features/domain/aws-domains.js'
import { ActionError, InputError } from '../src/base/errors.js'
import type { CreateConfig, DomainConfig } from '../src/config/inputs.js'
import { memoryLog } from '../src/report/log.js'
import { dnsKey, type CustomDomain, type DnsRecord, type DomainDiscovery } from '../src/model/model.js'
import { leaveDomain, markerRecord, planDomain, sweepDomains } from '../src/features/domain/plan.js'
import { canonicalPolicy } from '../src/features/settings/plan.js'
import { configFrom } from './support/inputs.js'

const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
const EDGE_CERT = CERT.replace('us-west-2', 'us-east-1')
const base = { 'load-balancer': 'cortex-1.elb.us-west-2.amazonaws.com', 'domain-name': 'API.Example.com.' }

describe('domain inputs', () => {
  const parse = (inputs: Record<string, string>) =>
    (configFrom({ ...base, ...inputs }) as CreateConfig).domain

  it('reads the domain (lower case, no final dot), its certificate, base path and zone', () => {
    expect(
      parse({ 'certificate-arn': CERT, 'base-path': '/v1/', 'hosted-zone-id': '/hostedzone/Z0123ABC' })
    ).toEqual({
      name: 'api.example.com',
      certificateArn: CERT,
      basePath: 'v1',
      hostedZoneId: 'Z0123ABC',
      securityPolicy: 'TLS_1_2'
    })
    expect(parse({ 'certificate-arn': CERT })?.basePath).toBe('')
  })

  it.each([
    [{}, 'certificate-arn', "is required with 'domain-name'"],
    [
      { 'certificate-arn': 'arn:aws:iam::123456789012:server-certificate/x' },
      'certificate-arn',
      'not an ACM'
    ],
    [
      { 'certificate-arn': EDGE_CERT },
      'certificate-arn',
      "takes its certificate from the API's region, us-west-2"
    ],
    [
      { 'certificate-arn': CERT, 'endpoint-type': 'EDGE' },
      'certificate-arn',
      'an EDGE custom domain takes its certificate from us-east-1'
    ],
    [{ 'certificate-arn': CERT, 'base-path': 'v1/models' }, 'base-path', 'must be one path segment'],
    [{ 'certificate-arn': CERT, 'base-path': 'v 1' }, 'base-path', 'may hold letters'],
    [{ 'certificate-arn': CERT, 'hosted-zone-id': 'zone one' }, 'hosted-zone-id', 'not a Route 53'],
    [{ 'certificate-arn': CERT, 'domain-name': '*.example.com' }, 'domain-name', 'wildcard'],
    [{ 'certificate-arn': CERT, 'domain-name': 'not a host' }, 'domain-name', 'is not a domain name'],
    [{ 'domain-name': '', 'hosted-zone-id': 'Z0123' }, 'hosted-zone-id', "needs 'domain-name'"]
  ])('refuses %j naming %s', (inputs, input, text) => {
    let error: unknown
    try {
      parse(inputs)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toContain(`'${input}'`)
    expect((error as InputError).message).toContain(text)
  })

  it('takes an EDGE certificate from us-east-1', () => {
    expect(parse({ 'certificate-arn': EDGE_CERT, 'endpoint-type': 'EDGE' })?.certificateArn).toBe(EDGE_CERT)
  })
})

const OURS = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'octo/app'
}
const want: DomainConfig = {
  name: 'api.example.com',
  certificateArn: CERT,
  basePath: 'v1',
  hostedZoneId: 'ZONE',
  securityPolicy: 'TLS_1_2'
}
/** A domain of ours, made by a gateway with the zone of its record (which it records in a tag). */
const domain = (more: Partial<CustomDomain> = {}): CustomDomain => ({
  name: want.name,
  endpointType: 'REGIONAL',
  certificateArn: CERT,
  target: 'd-abc.execute-api.us-west-2.amazonaws.com',
  targetZoneId: 'Z2OJLYMUO9EFXC',
  tags: { ...OURS, 'cortex-rest-gateway:hosted-zone-id': 'ZONE' },
  ...more
})
const alias = (dnsName: string): DnsRecord => ({
  name: want.name,
  type: 'A',
  values: [],
  alias: { dnsName, zoneId: 'Z2OJLYMUO9EFXC', evaluateTargetHealth: false }
})

function plan(
  found: {
    domain?: CustomDomain
    records?: DnsRecord[]
    /** true: marked by this repository for this region; a region: for that region's domain. */
    marked?: boolean | string
    mappings?: { basePath: string; restApiId: string; stage?: string }[]
  },
  endpointType = 'REGIONAL',
  wanted: DomainConfig = want,
  /** The base path the API's tag records as the action's mapping (null: a gateway made before it). */
  recorded: string | null = 'v1'
) {
  const discovery: DomainDiscovery = {
    domains: new Map([
      [
        want.name,
        {
          name: want.name,
          domain: found.domain,
          mappings: found.mappings ?? [{ basePath: 'v1', restApiId: 'api1', stage: 'dev' }]
        }
      ]
    ]),
    dns: new Map([
      [
        dnsKey('ZONE', want.name),
        {
          zoneId: 'ZONE',
          zoneName: 'example.com',
          name: want.name,
          records: found.records ?? [],
          marker: found.marked
            ? markerRecord(
                'octo/app',
                typeof found.marked === 'string' ? found.marked : 'us-west-2',
                want.name
              )
            : undefined
        }
      ]
    ])
  }
  return planDomain({
    owner: 'octo/app',
    region: 'us-west-2',
    found: discovery,
    apiIds: ['api1'],
    twinIds: ['twin'],
    want: wanted,
    endpointType: endpointType as 'REGIONAL',
    stage: 'dev',
    apiTags: {
      'cortex-rest-gateway:domain-name': want.name,
      'cortex-rest-gateway:hosted-zone-id': 'ZONE',
      ...(recorded === null ? {} : { 'cortex-rest-gateway:base-path': recorded })
    },
    tags: OURS
  })
}

describe('the domain part of a plan', () => {
  it('writes nothing when the domain, mapping and its own record are as wanted', () => {
    const p = plan({
      domain: domain(),
      records: [alias('d-abc.execute-api.us-west-2.amazonaws.com')],
      marked: true
    })
    expect(p.steps).toEqual([])
  })

  it('records the zone on a domain of ours made without one, once: its record is then found when it goes', () => {
    const p = plan({
      domain: domain({ tags: OURS }),
      records: [alias('d-abc.execute-api.us-west-2.amazonaws.com')],
      marked: true
    })
    expect(p.steps).toEqual([
      { op: 'tag-domain', name: 'api.example.com', tags: { 'cortex-rest-gateway:hosted-zone-id': 'ZONE' } }
    ])
  })

  it('changes a certificate in place', () => {
    const p = plan({
      domain: domain({ certificateArn: CERT.replace('0f0e', 'aaaa') }),
      records: [alias('d-abc.execute-api.us-west-2.amazonaws.com')],
      marked: true
    })
    expect(p.steps).toEqual([
      {
        op: 'set-domain-certificate',
        name: want.name,
        endpointType: 'REGIONAL',
        certificateArn: CERT,
        from: 'arn:aws:acm:us-west-2:123456789012:certificate/aaaa0d0c-1111-2222-3333-444455556666'
      }
    ])
  })

  it('points its own record at the domain again when it makes the domain anew', () => {
    const p = plan({
      domain: undefined,
      mappings: [],
      records: [alias('d-old.execute-api.us-west-2.amazonaws.com')],
      marked: true
    })
    expect(p.steps).toContainEqual(
      expect.objectContaining({
        op: 'upsert-dns-record',
        replace: alias('d-old.execute-api.us-west-2.amazonaws.com')
      })
    )
  })

  it("while the domain is there, a marked record to another regional target is a person's: refused", () => {
    // another account's domain of the name, say: only the domain's own target is the action's
    const p = () =>
      plan({
        domain: domain(),
        records: [alias('d-old.execute-api.us-west-2.amazonaws.com')],
        marked: true
      })
    expect(p).toThrow('already has a record for api.example.com that points elsewhere')
  })

  it("never takes over the record of the name's domain in another region", () => {
    const p = () =>
      plan({
        domain: domain(),
        records: [alias('d-other.execute-api.eu-west-1.amazonaws.com')],
        marked: 'eu-west-1'
      })
    expect(p).toThrow("marked as written from another repository or for another region's domain")
  })

  it('leaves alone an alias record a person pointed at the domain, and says so', () => {
    const p = plan({ domain: domain(), records: [alias('d-abc.execute-api.us-west-2.amazonaws.com')] })
    expect(p.steps).toEqual([])
    expect(p.notes.join()).toContain('not written by this action')
  })

  it('never overwrites a record of a person that points elsewhere', () => {
    expect(() => plan({ domain: domain(), records: [alias('elsewhere.example.net')] })).toThrow(
      'A alias to elsewhere.example.net (hosted zone Z2OJLYMUO9EFXC)'
    )
  })

  it('moves to the root only once its other mappings are gone, and from it the same way', () => {
    const ownRecord = { records: [alias('d-abc.execute-api.us-west-2.amazonaws.com')], marked: true }
    const toRoot = plan({ domain: domain(), ...ownRecord }, 'REGIONAL', { ...want, basePath: '' })
    // the new base path is recorded as the action's once the old mapping is gone
    expect(toRoot.steps.map(s => s.op)).toEqual(['unmap-base-path', 'map-base-path', 'tag-api'])
    expect(toRoot.steps[2]).toEqual({ op: 'tag-api', tags: { 'cortex-rest-gateway:base-path': '/' } })
    const fromRoot = plan(
      { domain: domain(), ...ownRecord, mappings: [{ basePath: '', restApiId: 'api1', stage: 'dev' }] },
      'REGIONAL',
      want,
      '/'
    )
    expect(fromRoot.steps.map(s => s.op)).toEqual(['unmap-base-path', 'map-base-path', 'tag-api'])
    // between two base paths: the new one serves before the old one goes
    const between = plan({ domain: domain(), ...ownRecord }, 'REGIONAL', { ...want, basePath: 'v2' })
    expect(between.steps.map(s => s.op)).toEqual(['map-base-path', 'unmap-base-path', 'tag-api'])
  })

  it("refuses the root beside another API's mapping, and a base path beside another API's root", () => {
    const other = { basePath: 'v9', restApiId: 'other', stage: 'prod' }
    expect(() =>
      plan({ domain: domain(), mappings: [other] }, 'REGIONAL', { ...want, basePath: '' })
    ).toThrow("also serves REST API other, and AWS maps a domain's root only when nothing else is mapped")
    expect(() => plan({ domain: domain(), mappings: [{ ...other, basePath: '' }] })).toThrow(
      'serves REST API other at its root'
    )
  })

  it('takes over a base path its own twin holds (the twin is removed by the plan)', () => {
    const p = plan({
      domain: domain(),
      records: [alias('d-abc.execute-api.us-west-2.amazonaws.com')],
      marked: true,
      mappings: [{ basePath: 'v1', restApiId: 'twin', stage: 'dev' }]
    })
    // the base path is free only once the twin's mapping is gone
    expect(p.steps.map(s => s.op)).toEqual(['unmap-base-path', 'map-base-path'])
  })

  it("refuses when a person's AAAA or CNAME record at the name points elsewhere", () => {
    const aaaa: DnsRecord = { name: want.name, type: 'AAAA', ttl: 60, values: ['2001:db8::1'] }
    expect(() => plan({ domain: domain(), records: [aaaa] })).toThrow('points elsewhere: AAAA 2001:db8::1')
    expect(() =>
      plan({
        domain: domain(),
        records: [alias('d-abc.execute-api.us-west-2.amazonaws.com'), aaaa],
        marked: true
      })
    ).toThrow('AAAA 2001:db8::1')
  })

  it('6. moves or removes only the mapping it recorded; a base path a person mapped to the gateway stays', () => {
    const own = {
      domain: domain(),
      records: [alias('d-abc.execute-api.us-west-2.amazonaws.com')],
      marked: true
    }
    const latest = { basePath: 'latest', restApiId: 'api1', stage: 'dev' }
    const v1 = { basePath: 'v1', restApiId: 'api1', stage: 'dev' }
    expect(plan({ ...own, mappings: [v1, latest] }).steps).toEqual([])
    const moved = plan({ ...own, mappings: [v1, latest] }, 'REGIONAL', { ...want, basePath: 'v2' })
    expect(moved.steps).toEqual([
      { op: 'map-base-path', name: want.name, basePath: 'v2', stage: 'dev' },
      { op: 'unmap-base-path', name: want.name, basePath: 'v1', restApiId: 'api1' },
      { op: 'tag-api', tags: { 'cortex-rest-gateway:base-path': 'v2' } }
    ])
    // a gateway made before the base path was recorded: its only mapping is the action's
    const legacy = plan({ ...own, mappings: [v1] }, 'REGIONAL', { ...want, basePath: 'v2' }, null)
    expect(legacy.steps.map(s => s.op)).toEqual(['map-base-path', 'unmap-base-path', 'tag-api'])
    // ... of several, only the one at the wanted base path; the others are left, saying so
    const several = plan({ ...own, mappings: [v1, latest] }, 'REGIONAL', want, null)
    expect(several.steps).toEqual([{ op: 'tag-api', tags: { 'cortex-rest-gateway:base-path': 'v1' } }])
    expect(several.warnings).toEqual([
      "Base path 'latest' of custom domain api.example.com also maps this gateway, but the action kept no " +
        'record of making it (the gateway predates that record): it is left as it is'
    ])
  })

  it('5. never takes a record a person pointed elsewhere for its own, whatever the mark says', () => {
    const theirs: DnsRecord = {
      name: want.name,
      type: 'A',
      values: [],
      alias: {
        dnsName: 'their-lb.us-west-2.elb.amazonaws.com',
        zoneId: 'Z1H1FL5HABSF5',
        evaluateTargetHealth: false
      }
    }
    expect(() => plan({ domain: domain(), records: [theirs], marked: true })).toThrow(
      'points elsewhere: A alias to their-lb.us-west-2.elb.amazonaws.com (hosted zone Z1H1FL5HABSF5)'
    )
    // a CloudFront distribution or another region's API Gateway is not what the action wrote either
    for (const dnsName of ['d111111abcdef8.cloudfront.net', 'd-other.execute-api.eu-west-1.amazonaws.com']) {
      expect(() => plan({ domain: domain(), records: [alias(dnsName)], marked: true })).toThrow(
        'points elsewhere'
      )
    }
  })

  it("refuses to change a domain's endpoint type in place", () => {
    expect(() => plan({ domain: domain() }, 'EDGE')).toThrow(ActionError)
    expect(() => plan({ domain: domain() }, 'EDGE')).toThrow("is REGIONAL, but 'endpoint-type' is EDGE")
  })
})

describe('setDomainCertificate', () => {
  // moto answers UpdateDomainName with a 500: the patch AWS takes is checked here
  it.each([
    ['REGIONAL', '/regionalCertificateArn'],
    ['EDGE', '/certificateArn']
  ])('patches a %s domain at %s', async (endpointType, path) => {
    const client = new APIGatewayClient({ region: 'us-west-2' })
    const mock = mockClient(client)
    mock.on(UpdateDomainNameCommand).resolves({})
    await setDomainCertificate(
      {
        region: 'us-west-2',
        apigw: client,
        log: memoryLog(),
        deadline: Date.now() + 10_000,
        now: Date.now,
        sleep: async () => undefined,
        random: Math.random,
        calls: []
      } as never,
      want.name,
      endpointType,
      CERT
    )
    expect(mock.commandCalls(UpdateDomainNameCommand)[0].args[0].input).toEqual({
      domainName: want.name,
      patchOperations: [{ op: 'replace', path, value: CERT }]
    })
  })
})

describe('canonicalPolicy', () => {
  it('takes a policy as AWS returns it (escaped, ARNs written out, lists of one, AWS: *) as the one sent', () => {
    const sent = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }
        }
      ]
    }
    const returned = JSON.stringify(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'execute-api:Invoke',
            Resource: 'arn:aws:execute-api:us-west-2:123456789012:abc123/*'
          },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: ['execute-api:Invoke'],
            Resource: 'arn:aws:execute-api:us-west-2:123456789012:abc123/*',
            Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }
          }
        ]
      })
    ).slice(1, -1)
    expect(canonicalPolicy(returned, 'abc123')).toBe(canonicalPolicy(sent, 'abc123'))
    expect(canonicalPolicy(returned, 'other')).not.toBe(canonicalPolicy(sent, 'other'))
  })

  it('is one text whatever the order of keys and of list items, written out', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.0/24'] } }
        },
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }
      ]
    }
    // AWS may return keys and list items in another order than sent
    const reordered = {
      Statement: [
        { Resource: 'execute-api:/*', Action: 'execute-api:Invoke', Principal: '*', Effect: 'Allow' },
        {
          Condition: { NotIpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '203.0.113.0/24'] } },
          Resource: 'execute-api:/*',
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Principal: '*'
        }
      ],
      Version: '2012-10-17'
    }
    // keys sorted; list items sorted by their canonical text (the Deny's "Condition" sorts before "Effect")
    const expected =
      '{"Statement":[' +
      '{"Action":"execute-api:Invoke",' +
      '"Condition":{"NotIpAddress":{"aws:SourceIp":["198.51.100.0/24","203.0.113.0/24"]}},' +
      '"Effect":"Deny","Principal":"*","Resource":"execute-api:/*"},' +
      '{"Action":"execute-api:Invoke","Effect":"Allow","Principal":"*","Resource":"execute-api:/*"}' +
      '],"Version":"2012-10-17"}'
    expect(canonicalPolicy(policy, 'abc123')).toBe(expected)
    expect(canonicalPolicy(reordered, 'abc123')).toBe(expected)
  })
})

describe('1. leaving a shared domain, and domains left serving nothing', () => {
  const ZONE_TAG = 'cortex-rest-gateway:hosted-zone-id'
  const own = alias('d-abc.execute-api.us-west-2.amazonaws.com')
  const discovery = (
    views: { name: string; domain?: CustomDomain; mappings: { basePath: string; restApiId: string }[] }[],
    idle: string[] = []
  ): DomainDiscovery => ({
    domains: new Map(views.map(v => [v.name, v])),
    dns: new Map(
      views.map(v => [
        dnsKey('ZONE', v.name),
        {
          zoneId: 'ZONE',
          zoneName: 'example.com',
          name: v.name,
          records: [{ ...own, name: v.name }],
          marker: markerRecord('octo/app', 'us-west-2', v.name)
        }
      ])
    ),
    idle
  })
  const ctx = (found: DomainDiscovery) => ({ owner: 'octo/app', region: 'us-west-2', found, apiIds: ['x'] })

  it('plans the record and the domain to go even while another gateway is mapped (read again then)', () => {
    const found = discovery([
      {
        name: want.name,
        domain: domain(),
        mappings: [
          { basePath: 'v1', restApiId: 'x' },
          { basePath: 'v2', restApiId: 'y' }
        ]
      }
    ])
    const p = leaveDomain(ctx(found), want.name, 'ZONE')
    expect(p.steps.map(s => [s.op, 'ifLast' in s && s.ifLast])).toEqual([
      ['unmap-base-path', false],
      ['delete-dns-record', true],
      ['delete-domain', true]
    ])
    expect(p.steps[1]).toMatchObject({ withDomain: want.name })
  })

  it('6. a delete removes every mapping of its API (AWS deletes no mapped API), naming one it did not make', () => {
    const found = discovery([
      {
        name: want.name,
        domain: domain(),
        mappings: [
          { basePath: 'v1', restApiId: 'x' },
          { basePath: 'latest', restApiId: 'x' }
        ]
      }
    ])
    const p = leaveDomain({ ...ctx(found), recorded: new Map([['x', 'v1']]) }, want.name, 'ZONE')
    expect(p.steps.filter(s => s.op === 'unmap-base-path').map(s => 'basePath' in s && s.basePath)).toEqual([
      'v1',
      'latest'
    ])
    expect(p.warnings).toEqual([
      `Base path 'latest' of custom domain ${want.name} maps REST API x, but the action did not make it: ` +
        'it goes with the API'
    ])
  })

  it("sweeps a domain of this repository serving nothing, unclaimed, with the record in its tag's zone", () => {
    const found = discovery(
      [
        { name: want.name, domain: domain({ tags: { ...OURS, [ZONE_TAG]: 'ZONE' } }), mappings: [] },
        { name: 'claimed.example.com', domain: domain({ name: 'claimed.example.com' }), mappings: [] },
        {
          name: 'other.example.com',
          domain: domain({
            name: 'other.example.com',
            tags: { ...OURS, 'cortex-rest-gateway:repository': 'octo/other' }
          }),
          mappings: []
        },
        { name: 'hand.example.com', domain: domain({ name: 'hand.example.com', tags: {} }), mappings: [] }
      ],
      [want.name, 'claimed.example.com', 'other.example.com', 'hand.example.com']
    )
    const p = sweepDomains(
      { owner: 'octo/app', region: 'us-west-2', found },
      new Set(['claimed.example.com'])
    )
    expect(p.steps).toEqual([
      {
        op: 'delete-dns-record',
        zoneId: 'ZONE',
        name: want.name,
        records: [markerRecord('octo/app', 'us-west-2', want.name), own],
        withDomain: want.name,
        sweep: 'octo/app'
      },
      { op: 'delete-domain', name: want.name, sweep: 'octo/app' }
    ])
  })
})
