// The custom domain's inputs (features/domain/inputs.ts), read through parseConfig: domain-name with its
// certificate, base path, hosted zone and TLS policy; what each reads as, what is refused and how the error
// says it. Expected values are written out from the SPEC.
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/base/errors.js'
import type { CreateConfig, DomainConfig } from '../src/config/inputs.js'
import { parseSecurityPolicy } from '../src/features/domain/inputs.js'
import { configFrom } from './support/inputs.js'

const NLB = 'a9eaf69fd125947abb1065f62de59047-81cdebc0275f7d96.elb.us-west-2.amazonaws.com'
const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
const EDGE_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
const DOMAIN = { 'domain-name': 'api.example.com', 'certificate-arn': CERT }

const domain = (inputs: Record<string, string>): DomainConfig | undefined =>
  (configFrom({ 'load-balancer': NLB, ...inputs }) as CreateConfig).domain

function refusal(inputs: Record<string, string>): { input: string; message: string } {
  try {
    configFrom({ 'load-balancer': NLB, ...inputs })
  } catch (error) {
    if (error instanceof InputError) return { input: error.input, message: error.message }
    throw error
  }
  throw new Error('expected an InputError')
}
const refused = (input: string, message: string) => ({ input, message: `Input '${input}': ${message}` })

describe('domain-name', () => {
  it('is none when not given', () => {
    expect(domain({})).toBeUndefined()
    expect(domain({ 'security-policy': 'TLS_1_2' })).toBeUndefined()
    expect(domain({ 'security-policy': 'tls_1_2' })).toBeUndefined()
  })

  it.each<[Record<string, string>, DomainConfig]>([
    [
      DOMAIN,
      {
        name: 'api.example.com',
        certificateArn: CERT,
        basePath: '',
        hostedZoneId: undefined,
        securityPolicy: 'TLS_1_2'
      }
    ],
    [
      {
        ...DOMAIN,
        'domain-name': 'API.Example.COM.',
        'base-path': '/v1/',
        'hosted-zone-id': '/hostedzone/Z0123ABC'
      },
      {
        name: 'api.example.com',
        certificateArn: CERT,
        basePath: 'v1',
        hostedZoneId: 'Z0123ABC',
        securityPolicy: 'TLS_1_2'
      }
    ],
    [
      { ...DOMAIN, 'base-path': '(none)', 'hosted-zone-id': 'hostedzone/Z1', 'security-policy': 'tls_1_0' },
      {
        name: 'api.example.com',
        certificateArn: CERT,
        basePath: '',
        hostedZoneId: 'Z1',
        securityPolicy: 'TLS_1_0'
      }
    ],
    [
      { ...DOMAIN, 'base-path': "//A-z_0.9$+!*'()//", 'hosted-zone-id': 'Z'.repeat(32) },
      {
        name: 'api.example.com',
        certificateArn: CERT,
        basePath: "A-z_0.9$+!*'()",
        hostedZoneId: 'Z'.repeat(32),
        securityPolicy: 'TLS_1_2'
      }
    ],
    [
      { ...DOMAIN, 'base-path': 'b'.repeat(255), 'security-policy': 'SecurityPolicy_TLS13_1_2_2021_06' },
      {
        name: 'api.example.com',
        certificateArn: CERT,
        basePath: 'b'.repeat(255),
        hostedZoneId: undefined,
        securityPolicy: 'SecurityPolicy_TLS13_1_2_2021_06'
      }
    ],
    [
      {
        'endpoint-type': 'EDGE',
        'domain-name': 'api.example.com',
        'certificate-arn': EDGE_CERT,
        'security-policy': 'SecurityPolicy_TLS13_2025_EDGE'
      },
      {
        name: 'api.example.com',
        certificateArn: EDGE_CERT,
        basePath: '',
        hostedZoneId: undefined,
        securityPolicy: 'SecurityPolicy_TLS13_2025_EDGE'
      }
    ]
  ])('%j reads as %j', (inputs, want) => {
    expect(domain(inputs)).toEqual(want)
  })

  it('takes a name of 253 characters and refuses 254', () => {
    const name = (n: number) =>
      `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(n - 196)}.com`
    expect(domain({ ...DOMAIN, 'domain-name': name(253) })?.name).toBe(name(253))
    expect(refusal({ ...DOMAIN, 'domain-name': name(254) })).toEqual(
      refused('domain-name', `"${name(254)}" is not a domain name such as api.example.com`)
    )
  })

  it.each(['example', 'a..example.com', '-a.example.com', 'a_b.example.com', 'https://api.example.com'])(
    'refuses %j, saying what a domain name is',
    name => {
      expect(refusal({ ...DOMAIN, 'domain-name': name })).toEqual(
        refused('domain-name', `"${name}" is not a domain name such as api.example.com`)
      )
    }
  )

  it('refuses a wildcard domain', () => {
    expect(refusal({ ...DOMAIN, 'domain-name': '*.example.com' })).toEqual(
      refused('domain-name', 'wildcard custom domains are not made by this action: name one host')
    )
  })

  it('refuses a domain for a PRIVATE API', () => {
    expect(
      refusal({ ...DOMAIN, 'endpoint-type': 'PRIVATE', 'vpc-endpoint-ids': 'vpce-0123456789abcdef0' })
    ).toEqual(
      refused(
        'domain-name',
        "is not made for 'endpoint-type: PRIVATE' (a private API's custom domains are another kind of domain)"
      )
    )
  })
})

describe('certificate-arn', () => {
  it('is required with a domain', () => {
    expect(refusal({ 'domain-name': 'api.example.com' })).toEqual(
      refused(
        'certificate-arn',
        "is required with 'domain-name': the ARN of an ACM certificate for api.example.com"
      )
    )
  })

  it.each([
    'arn:aws:iam::123456789012:server-certificate/x',
    'arn:aws:acm:us-west-2:12345678901:certificate/abc',
    'arn:aws:acm:us-west-2:123456789012:certificate/a_b',
    `${CERT}/x`
  ])('refuses %s, saying what one is', arn => {
    expect(refusal({ ...DOMAIN, 'certificate-arn': arn })).toEqual(
      refused(
        'certificate-arn',
        `"${arn}" is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)`
      )
    )
  })

  it("takes a REGIONAL domain's from the API's region, an EDGE domain's from us-east-1", () => {
    expect(refusal({ ...DOMAIN, 'certificate-arn': EDGE_CERT })).toEqual(
      refused(
        'certificate-arn',
        "is in us-east-1, but a REGIONAL custom domain takes its certificate from the API's region, us-west-2: " +
          'use a certificate for api.example.com in us-west-2'
      )
    )
    expect(refusal({ ...DOMAIN, 'endpoint-type': 'EDGE' })).toEqual(
      refused(
        'certificate-arn',
        'is in us-west-2, but an EDGE custom domain takes its certificate from us-east-1: ' +
          'use a certificate for api.example.com in us-east-1'
      )
    )
    expect(domain({ ...DOMAIN, 'endpoint-type': 'EDGE', 'certificate-arn': EDGE_CERT })?.certificateArn).toBe(
      EDGE_CERT
    )
  })
})

describe('base-path and hosted-zone-id', () => {
  it.each([
    ['v1/v2', "must be one path segment (a REST API base path mapping cannot hold '/'): e.g. v1"],
    ['v 1', "may hold letters, digits and $ - _ . + ! * ' ( ) only"],
    ['v1?', "may hold letters, digits and $ - _ . + ! * ' ( ) only"],
    ['b'.repeat(256), "may hold letters, digits and $ - _ . + ! * ' ( ) only"]
  ])('refuses the base path %j', (path, message) => {
    expect(refusal({ ...DOMAIN, 'base-path': path })).toEqual(refused('base-path', message))
  })

  it.each(['z0123', 'Z-1', 'Z'.repeat(33), 'zone/Z1', 'Z1/hostedzone/Z2'])(
    'refuses the hosted zone %j',
    zone => {
      expect(refusal({ ...DOMAIN, 'hosted-zone-id': zone })).toEqual(
        refused('hosted-zone-id', `"${zone}" is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ`)
      )
    }
  )
})

describe('what is only for a custom domain is refused without one', () => {
  it.each([
    ['certificate-arn', CERT],
    ['base-path', 'v1'],
    ['hosted-zone-id', 'Z1'],
    ['security-policy', 'TLS_1_0'],
    ['security-policy', 'SecurityPolicy_TLS13_1_2_2021_06']
  ])('%s %j', (name, value) => {
    expect(refusal({ [name]: value })).toEqual(
      refused(name, "needs 'domain-name': the custom domain it is for")
    )
  })

  it('disable-execute-api-endpoint, saying why', () => {
    expect(refusal({ 'disable-execute-api-endpoint': 'true' })).toEqual(
      refused(
        'disable-execute-api-endpoint',
        "needs 'domain-name': with the execute-api endpoint off, callers reach the gateway only through a custom domain"
      )
    )
    expect(domain({ 'disable-execute-api-endpoint': 'false' })).toBeUndefined()
  })
})

describe('parseSecurityPolicy', () => {
  it.each([
    ['', 'REGIONAL', 'TLS_1_2'],
    ['tls_1_2', 'EDGE', 'TLS_1_2'],
    ['Tls_1_0', 'REGIONAL', 'TLS_1_0'],
    ['SecurityPolicy_TLS13_1_3_2025_09', 'REGIONAL', 'SecurityPolicy_TLS13_1_3_2025_09'],
    ['SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09_EDGE', 'EDGE', 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09_EDGE'],
    [`SecurityPolicy_${'a'.repeat(120)}`, 'REGIONAL', `SecurityPolicy_${'a'.repeat(120)}`]
  ])('%j for %s reads as %s', (value, type, want) => {
    expect(parseSecurityPolicy(value, type)).toBe(want)
  })

  const says = (policy: string) =>
    `Input 'security-policy': "${policy}" is not a TLS policy: use TLS_1_2, TLS_1_0, or an enhanced policy AWS ` +
    'names (SecurityPolicy_…)'
  it.each([
    'TLS_1_3',
    'securitypolicy_TLS13',
    'SecurityPolicy_',
    `SecurityPolicy_${'a'.repeat(121)}`,
    'x SecurityPolicy_A'
  ])('refuses %j', policy => {
    expect(() => parseSecurityPolicy(policy, 'REGIONAL')).toThrow(says(policy))
  })

  it('refuses an EDGE policy for another type, and another for EDGE', () => {
    expect(() => parseSecurityPolicy('SecurityPolicy_TLS13_2025_EDGE', 'REGIONAL')).toThrow(
      `Input 'security-policy': "SecurityPolicy_TLS13_2025_EDGE" is for EDGE custom domains, and this one is REGIONAL`
    )
    expect(() => parseSecurityPolicy('SecurityPolicy_TLS13_1_3_2025_09', 'EDGE')).toThrow(
      `Input 'security-policy': "SecurityPolicy_TLS13_1_3_2025_09" is not for EDGE custom domains: use an enhanced ` +
        'policy ending in _EDGE'
    )
  })
})
