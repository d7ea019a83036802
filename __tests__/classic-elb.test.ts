/**
 * Classic ELB clusters (Cortex's `api_load_balancer_type: elb`): found by DNS name (as AWS names
 * them: the test proxy answers so), by name, or by the cluster's tags; internet-facing ones proxied
 * as an NLB is, internal ones refused before any write.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { Cortex } from '../src/base/constants.js'
import { InputError } from '../src/base/errors.js'
import { runEngine } from '../src/engine/engine.js'
import { memoryLog } from '../src/report/log.js'
import { createClassicElb, createLoadBalancer, REGION } from './support/aws.js'
import { readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { configFrom } from './support/inputs.js'

const aws = motoBehindProxy({ env: true })

// AWS's names for them in us-west-2 (the digits are the test proxy's, written out)
const PUBLIC_DNS = 'legacy-apis-1676136472.us-west-2.elb.amazonaws.com'
const INTERNAL_DNS = 'internal-legacy-internal-1457970348.us-west-2.elb.amazonaws.com'
const PUBLIC_ARN = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/legacy-apis'
const CORTEX_API = { [Cortex.ClusterTag]: 'old', [Cortex.ServiceTag]: Cortex.ApiService }

beforeEach(async () => {
  await aws.moto.reset()
  await createClassicElb(aws.moto.endpoint, {
    name: 'legacy-apis',
    scheme: 'internet-facing',
    tags: CORTEX_API
  })
  await createClassicElb(aws.moto.endpoint, {
    name: 'legacy-internal',
    scheme: 'internal',
    tags: { [Cortex.ClusterTag]: 'inner', [Cortex.ServiceTag]: Cortex.ApiService }
  })
  await createLoadBalancer(aws.moto.endpoint, { name: 'an-nlb', scheme: 'internet-facing' })
  aws.proxy.clear()
})

function run(inputs: Record<string, string>) {
  return runEngine({
    config: configFrom({ region: REGION, ...inputs }),
    log: memoryLog(),
    provenance: { repository: 'octo/app', workflow: 'ci' }
  })
}

/** The failure of a run that must fail. */
const failure = (inputs: Record<string, string>): Promise<unknown> =>
  run(inputs).then(
    () => {
      throw new Error('the run did not fail')
    },
    (e: unknown) => e
  )

describe('a Classic ELB', () => {
  it.each([
    ['its DNS name', { 'load-balancer': `http://${PUBLIC_DNS.toUpperCase()}/` }],
    ['its name', { 'load-balancer': 'legacy-apis' }],
    ['its ARN', { 'load-balancer': PUBLIC_ARN }],
    ["its cluster's name", { 'cluster-name': 'old', 'api-name': 'cortex' }]
  ])('internet-facing, found by %s: proxied over HTTP as an NLB is', async (_, inputs) => {
    const made = await run(inputs)
    expect(made.outcome).toBe('created')
    expect(made.outputs['load-balancer-arn']).toBe(PUBLIC_ARN)
    const gateway = await readGateway(aws.proxy.endpoint, 'cortex')
    const byPath = Object.fromEntries(gateway.resources.map(r => [r.path ?? '', r]))
    // the integrations name the cluster by a stage variable, which the stage sets to the Classic ELB
    expect(byPath['/{proxy+}'].resourceMethods!.ANY.methodIntegration).toMatchObject({
      type: 'HTTP_PROXY',
      connectionType: 'INTERNET',
      uri: 'http://${stageVariables.cortexHost}/{proxy}'
    })
    expect(byPath['/'].resourceMethods!.ANY.methodIntegration).toMatchObject({
      type: 'HTTP_PROXY',
      uri: 'http://${stageVariables.cortexHost}/'
    })
    expect(gateway.stages.map(st => [st.stageName, st.variables])).toEqual([
      ['dev', { cortexHost: PUBLIC_DNS }]
    ])
    expect(gateway.links).toEqual([])
    // a re-run finds it again and writes nothing
    aws.proxy.clear()
    expect((await run(inputs)).outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
  })

  it('is looked for with the Classic API only when no ELBv2 load balancer has the DNS name', async () => {
    await run({ 'load-balancer': PUBLIC_DNS })
    const elbCalls = aws.proxy.requests
      .filter(r => r.service === 'elasticloadbalancing')
      .map(r => r.operation)
    expect(elbCalls).toEqual(['DescribeLoadBalancers', 'DescribeLoadBalancers'])
  })

  it.each([
    ['load-balancer', { 'load-balancer': INTERNAL_DNS }],
    ['load-balancer', { 'load-balancer': 'legacy-internal' }],
    ['cluster-name', { 'cluster-name': 'inner' }]
  ])('internal: refused before any write, naming %s', async (input, inputs) => {
    const err = await failure(inputs)
    expect(err).toBeInstanceOf(InputError)
    expect((err as Error).message).toBe(
      `Input '${input}': legacy-internal is an internal Classic ELB, and no VPC link can reach one ` +
        '(REST VPC links reach Network Load Balancers, v2 links Network and Application ones): ' +
        "`api_load_balancer_type: nlb` in the cluster's configuration gives a Cortex cluster a Network " +
        'Load Balancer that one can'
    )
    expect(aws.proxy.writes()).toEqual([])
  })

  it('says so when no load balancer of either kind has the name', async () => {
    expect(((await failure({ 'load-balancer': 'legacy-gone' })) as Error).message).toBe(
      "Input 'load-balancer': no Classic ELB named legacy-gone in region us-west-2 " +
        '(a Network or Application Load Balancer is named by its DNS name or ARN)'
    )
    expect(
      ((await failure({ 'load-balancer': 'gone-1.us-west-2.elb.amazonaws.com' })) as Error).message
    ).toBe(
      "Input 'load-balancer': no load balancer with DNS name gone-1.us-west-2.elb.amazonaws.com in " +
        'region us-west-2 (3 load balancers looked at, Classic ELBs among them)'
    )
    expect(aws.proxy.writes()).toEqual([])
  })
})
