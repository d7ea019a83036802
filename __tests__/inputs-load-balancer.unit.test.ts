// load-balancer and region (config/load-balancer.ts): the forms people paste, what each reads as, what is
// refused and how the error says it; where the region comes from and when it disagrees with the load balancer.
// Expected values are written out.
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/base/errors.js'
import {
  CLASSIC_NAME_RE,
  HOST_RE,
  parseLoadBalancer,
  regionFromDnsName,
  resolveRegion,
  type LoadBalancerRef
} from '../src/config/load-balancer.js'

const NLB = 'a9eaf69fd125947abb1065f62de59047-81cdebc0275f7d96.elb.us-west-2.amazonaws.com'
const ALB = 'internal-cortex-1234567890.eu-central-1.elb.amazonaws.com'
const NLB_ARN = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex/0123456789abcdef'

function refusal(fn: () => unknown): { input: string; message: string } {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return { input: error.input, message: error.message }
    throw error
  }
  throw new Error('expected an InputError')
}

describe('parseLoadBalancer', () => {
  it.each<[string, LoadBalancerRef]>([
    [NLB, { kind: 'dns', dnsName: NLB, raw: NLB, region: 'us-west-2' }],
    [` ${NLB} `, { kind: 'dns', dnsName: NLB, raw: NLB, region: 'us-west-2' }],
    [`http://${NLB}/`, { kind: 'dns', dnsName: NLB, raw: `http://${NLB}/`, region: 'us-west-2' }],
    [
      `HTTPS://${NLB.toUpperCase()}:443/api`,
      { kind: 'dns', dnsName: NLB, raw: `HTTPS://${NLB.toUpperCase()}:443/api`, region: 'us-west-2' }
    ],
    [`${NLB}:80`, { kind: 'dns', dnsName: NLB, raw: `${NLB}:80`, region: 'us-west-2' }],
    [`${NLB}.`, { kind: 'dns', dnsName: NLB, raw: `${NLB}.`, region: 'us-west-2' }],
    [ALB, { kind: 'dns', dnsName: ALB, raw: ALB, region: 'eu-central-1' }],
    [
      'api.cortex.internal',
      { kind: 'dns', dnsName: 'api.cortex.internal', raw: 'api.cortex.internal', region: undefined }
    ],
    // credentials and a query are never kept
    [
      `http://user:secret@${NLB}/?token=abc`,
      { kind: 'dns', dnsName: NLB, raw: `http://***@${NLB}/?***`, region: 'us-west-2' }
    ],
    [`${NLB}#frag`, { kind: 'dns', dnsName: NLB, raw: `${NLB}#***`, region: 'us-west-2' }],
    [NLB_ARN, { kind: 'arn', arn: NLB_ARN, raw: NLB_ARN, region: 'us-west-2' }],
    [
      'arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188',
      {
        kind: 'arn',
        arn: 'arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188',
        raw: 'arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188',
        region: 'cn-north-1'
      }
    ],
    [
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/my-classic',
      {
        kind: 'name',
        name: 'my-classic',
        raw: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/my-classic',
        region: 'eu-west-1'
      }
    ],
    ['my-classic-elb', { kind: 'name', name: 'my-classic-elb', raw: 'my-classic-elb' }],
    ['A', { kind: 'name', name: 'A', raw: 'A' }],
    ['a'.repeat(32), { kind: 'name', name: 'a'.repeat(32), raw: 'a'.repeat(32) }]
  ])('%j reads as %j', (given, want) => {
    expect(parseLoadBalancer(given)).toEqual(want)
  })

  it.each([
    'arn:aws:ec2:us-west-2:123456789012:instance/i-1',
    'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/gwy/x/0123',
    'arn:aws:elasticloadbalancing:us-west-2:12345678901:loadbalancer/net/x/0123',
    'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/x/0123/extra',
    'ARN:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/x/0123'
  ])('refuses %j as no load balancer ARN, saying what one looks like', arn => {
    expect(refusal(() => parseLoadBalancer(arn))).toEqual({
      input: 'load-balancer',
      message:
        `Input 'load-balancer': "${arn}" is not a load balancer ARN ` +
        '(arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/net/NAME/ID, or .../loadbalancer/NAME for a ' +
        'Classic ELB)'
    })
  })

  it.each([
    ['not a host name', 'not a host name'],
    ['-bad.example.com', '-bad.example.com'],
    ['a'.repeat(33), 'a'.repeat(33)],
    ['my-elb-', 'my-elb-'],
    ['under_score.example.com', 'under_score.example.com'],
    // an ARN starts with arn:, a scheme starts the value, a port ends the host
    ['my-arn:aws:elasticloadbalancing', 'my-arn:aws:elasticloadbalancing'],
    ['1http://api.example.com', '1http://api.example.com'],
    ['api:80x.example.com', 'api:80x.example.com'],
    [`${'a'.repeat(64)}.example.com`, `${'a'.repeat(64)}.example.com`]
  ])('refuses %j as neither a DNS name, an ARN nor a name', (given, shown) => {
    expect(refusal(() => parseLoadBalancer(given))).toEqual({
      input: 'load-balancer',
      message:
        `Input 'load-balancer': "${shown}" is neither a DNS name nor an ARN of a load balancer, nor a Classic ` +
        "ELB's name (expected e.g. abc-123.elb.us-west-2.amazonaws.com)"
    })
  })

  it('never echoes the credentials or query of a refused URL', () => {
    const { message } = refusal(() => parseLoadBalancer('http://user:pw@bad_host/?key=1'))
    expect(message).not.toContain('pw')
    expect(message).not.toContain('key=1')
    expect(message).toContain('"http://***@bad_host/?***"')
  })

  it('takes a 63-character label, refuses a 64-character one', () => {
    expect(HOST_RE.test(`${'a'.repeat(63)}.example.com`)).toBe(true)
    expect(HOST_RE.test(`a${'-'.repeat(61)}a.example.com`)).toBe(true)
    expect(HOST_RE.test('example')).toBe(false)
    expect(HOST_RE.test('a..b')).toBe(false)
    expect(CLASSIC_NAME_RE.test('-a')).toBe(false)
  })
})

describe('regionFromDnsName', () => {
  it.each([
    [NLB, 'us-west-2'],
    ['x-1.elb.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    [ALB, 'eu-central-1'],
    ['x.us-gov-west-1.elb.amazonaws.com.cn', 'us-gov-west-1'],
    ['x.elb.amazonaws.com', undefined],
    ['x.elb.us-west-2.amazonaws.com.evil.com', undefined],
    ['api.cortex.internal', undefined]
  ])('%s: %s', (dns, region) => {
    expect(regionFromDnsName(dns)).toBe(region)
  })
})

describe('resolveRegion', () => {
  const dns = parseLoadBalancer(NLB)
  const arn = parseLoadBalancer(NLB_ARN)
  const classic = parseLoadBalancer('arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/old')
  const bare: LoadBalancerRef = { kind: 'dns', dnsName: 'api.cortex.internal', raw: 'api.cortex.internal' }
  const cluster: LoadBalancerRef = { kind: 'cluster', clusterName: 'prod', raw: 'prod' }

  it.each<[string, NodeJS.ProcessEnv, LoadBalancerRef | undefined, string, string]>([
    ['eu-west-1', { AWS_REGION: 'us-east-1' }, bare, 'eu-west-1', "input 'region'"],
    ['', { AWS_REGION: ' us-east-1 ', AWS_DEFAULT_REGION: 'us-east-2' }, bare, 'us-east-1', 'AWS_REGION'],
    ['', { AWS_REGION: '  ', AWS_DEFAULT_REGION: ' us-east-2 ' }, bare, 'us-east-2', 'AWS_DEFAULT_REGION'],
    ['', {}, dns, 'us-west-2', "the load balancer's DNS name"],
    ['', {}, arn, 'us-west-2', "the load balancer's ARN"],
    ['', {}, classic, 'us-west-2', "the load balancer's ARN"],
    ['us-west-2', {}, dns, 'us-west-2', "input 'region'"],
    ['ap-southeast-12', {}, undefined, 'ap-southeast-12', "input 'region'"],
    ['us-gov-west-1', {}, undefined, 'us-gov-west-1', "input 'region'"]
  ])('%j with %j and %j: %s, from %s', (input, env, lb, region, regionSource) => {
    expect(resolveRegion(input, env, lb)).toEqual({ region, regionSource })
  })

  it.each([
    ['mars-1', "input 'region'"],
    ['us-west-123', "input 'region'"],
    ['US-WEST-2', "input 'region'"],
    ['uswest-2', "input 'region'"],
    ['x-us-west-2', "input 'region'"]
  ])('refuses the region %j, saying where it came from', (region, source) => {
    expect(refusal(() => resolveRegion(region, {}, undefined))).toEqual({
      input: 'region',
      message: `Input 'region': "${region}" (from ${source}) is not an AWS region name such as us-west-2`
    })
  })

  it('checks a region from the environment as well', () => {
    expect(refusal(() => resolveRegion('', { AWS_DEFAULT_REGION: 'moon' }, undefined)).message).toBe(
      `Input 'region': "moon" (from AWS_DEFAULT_REGION) is not an AWS region name such as us-west-2`
    )
  })

  it.each<[LoadBalancerRef, string]>([
    [dns, 'DNS name'],
    [arn, 'ARN'],
    [classic, 'ARN']
  ])('refuses a run elsewhere than the load balancer (by its %#), saying where to run', (lb, from) => {
    expect(refusal(() => resolveRegion('', { AWS_REGION: 'eu-west-1' }, lb))).toEqual({
      input: 'region',
      message:
        `Input 'region': the run is in eu-west-1 (from AWS_REGION), but the load balancer's ${from} says region ` +
        "us-west-2: its gateway is in us-west-2. Set the 'region' input to us-west-2"
    })
  })

  it('asks for a region where none is found, the cluster named for a cluster', () => {
    expect(refusal(() => resolveRegion('', {}, bare))).toEqual({
      input: 'region',
      message:
        "Input 'region': no region given: set 'region', or AWS_REGION (aws-actions/configure-aws-credentials " +
        'does), or pass a load balancer DNS name that contains one'
    })
    expect(refusal(() => resolveRegion('', {}, undefined)).message).toBe(
      "Input 'region': no region given: set 'region', or AWS_REGION (aws-actions/configure-aws-credentials " +
        'does), or pass a load balancer DNS name that contains one'
    )
    expect(refusal(() => resolveRegion('', {}, cluster)).message).toBe(
      "Input 'region': no region given: set 'region', or AWS_REGION (aws-actions/configure-aws-credentials " +
        'does), the region of cluster "prod"'
    )
  })
})
