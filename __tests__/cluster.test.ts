/**
 * `cluster-name`: the Cortex cluster's API load balancer found by the tags Cortex gives it, seeded
 * in moto as a cluster tags them (the API load balancer, the operator's, another cluster's).
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { AddTagsCommand, DeleteLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { Cortex } from '../src/base/constants.js'
import { runEngine } from '../src/engine/engine.js'
import { InputError } from '../src/base/errors.js'
import { memoryLog } from '../src/report/log.js'
import { renderSummary } from '../src/report/summary.js'
import { createLoadBalancer, REGION, testClients, type SeededLoadBalancer } from './support/aws.js'
import { readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { configFrom } from './support/inputs.js'

const aws = motoBehindProxy({ env: true })

/** A load balancer tagged as Cortex tags the ones of its cluster `cluster`, for `service`. */
async function cortexLoadBalancer(
  name: string,
  cluster: string,
  service: string
): Promise<SeededLoadBalancer> {
  const lb = await createLoadBalancer(aws.moto.endpoint, { name, scheme: 'internet-facing' })
  await testClients(aws.moto.endpoint).elb.send(
    new AddTagsCommand({
      ResourceArns: [lb.arn],
      Tags: [
        { Key: Cortex.ClusterTag, Value: cluster },
        { Key: Cortex.ServiceTag, Value: service },
        { Key: 'alpha.eksctl.io/cluster-name', Value: cluster }
      ]
    })
  )
  return lb
}

let prodApi: SeededLoadBalancer

beforeEach(async () => {
  await aws.moto.reset()
  prodApi = await cortexLoadBalancer('prod-apis', 'prod', Cortex.ApiService)
  await cortexLoadBalancer('prod-operator', 'prod', 'istio-system/ingressgateway-operator')
  await cortexLoadBalancer('staging-apis', 'staging', Cortex.ApiService)
  await createLoadBalancer(aws.moto.endpoint, { name: 'not-cortex', scheme: 'internet-facing' })
  aws.proxy.clear()
})

function run(inputs: Record<string, string>) {
  return runEngine({
    config: configFrom({ region: REGION, ...inputs }),
    log: memoryLog(),
    provenance: { repository: 'octo/app', workflow: 'ci' }
  })
}

describe('cluster-name', () => {
  it("finds the cluster's load balancer by its tags, names the gateway after it, tags it so", async () => {
    const made = await run({ 'cluster-name': 'prod' })
    expect(made.outcome).toBe('created')
    expect(made.outputs['load-balancer-arn']).toBe(prodApi.arn)
    expect(renderSummary('cortex-prod', made)).toContain(
      '<tr><th align="left">Cortex cluster</th><td><code>prod</code></td></tr>'
    )
    const gateway = await readGateway(aws.proxy.endpoint, 'cortex-prod')
    expect(gateway.apis).toHaveLength(1)
    expect(gateway.api.tags).toMatchObject({ [Cortex.ClusterTag]: 'prod' })
    expect(gateway.stages[0].tags).toMatchObject({ [Cortex.ClusterTag]: 'prod' })
    // the tags of every load balancer read in one call (up to 20 a call)
    expect(aws.proxy.requests.filter(r => r.operation === 'DescribeTags')).toHaveLength(1)
    // a re-run finds it again and writes nothing
    aws.proxy.clear()
    expect((await run({ 'cluster-name': 'prod' })).outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
  })

  it('reads the tags of many load balancers 20 at a time', async () => {
    for (let i = 0; i < 21; i++)
      await createLoadBalancer(aws.moto.endpoint, { name: `other-${i}`, scheme: 'internet-facing' })
    aws.proxy.clear()
    const made = await run({ 'cluster-name': 'staging', 'dry-run': 'true' })
    expect(made.outcome).toBe('would-create')
    // 25 load balancers: two calls
    expect(aws.proxy.requests.filter(r => r.operation === 'DescribeTags')).toHaveLength(2)
  })

  it('says what it looked for, and where, when no load balancer of the cluster is there', async () => {
    const err = await run({ 'cluster-name': 'qa1' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect((err as Error).message).toMatch(
      new RegExp(
        /^Input 'cluster-name': no Cortex cluster "qa1" in region us-west-2: looked for a load balancer /
          .source + /tagged cortex\.dev\/cluster-name=qa1 and kubernetes\.io\/service-name=/.source
      )
    )
    expect(aws.proxy.writes()).toEqual([])
  })

  it('lists them when several load balancers claim to be the cluster API one', async () => {
    const twin = await cortexLoadBalancer('prod-apis-2', 'prod', Cortex.ApiService)
    const err = await run({ 'cluster-name': 'prod' }).catch((e: unknown) => e)
    expect((err as Error).message).toContain('2 load balancers in region us-west-2')
    expect((err as Error).message).toContain(prodApi.arn)
    expect((err as Error).message).toContain(twin.arn)
    expect(aws.proxy.writes()).toEqual([])
  })

  it("deletes the cluster's gateway by its name after the load balancer is gone", async () => {
    await run({ 'cluster-name': 'prod' })
    await testClients(aws.moto.endpoint).elb.send(
      new DeleteLoadBalancerCommand({ LoadBalancerArn: prodApi.arn })
    )
    aws.proxy.clear()
    const gone = await run({ mode: 'delete', 'cluster-name': 'prod' })
    expect(gone.outcome).toBe('deleted')
    expect((await readGateway(aws.moto.endpoint, 'cortex-prod')).apis).toEqual([])
    expect(aws.proxy.requests.filter(r => r.service !== 'apigateway')).toEqual([])
  })

  it('is refused with load-balancer, before any call', () => {
    expect(() =>
      configFrom({ region: REGION, 'cluster-name': 'prod', 'load-balancer': prodApi.dnsName })
    ).toThrow(/^Input 'cluster-name': give either 'cluster-name' or 'load-balancer', not both/)
    // Cortex's own rule: 3 to 54 lower-case letters and digits, words joined by single hyphens
    for (const bad of ['Prod_1', 'ab', 'prod-', 'a--b', 'x'.repeat(55)])
      expect(() => configFrom({ region: REGION, 'cluster-name': bad })).toThrow(
        /^Input 'cluster-name': must be a Cortex cluster name/
      )
    expect(configFrom({ region: REGION, 'cluster-name': '2024-prod' }).apiName).toBe('cortex-2024-prod')
    // the cluster's tag is the action's: another value is refused, and it counts against AWS's 50
    expect(() =>
      configFrom({ region: REGION, 'cluster-name': 'prod', tags: `${Cortex.ClusterTag}=staging` })
    ).toThrow(/^Input 'tags': cortex\.dev\/cluster-name="staging" disagrees with 'cluster-name' \("prod"\)/)
    const many = Array.from({ length: 45 }, (_, i) => `k${i}=v`).join('\n')
    expect(configFrom({ region: REGION, tags: many, 'load-balancer': prodApi.dnsName }).mode).toBe('create')
    expect(() => configFrom({ region: REGION, tags: many, 'cluster-name': 'prod' })).toThrow(
      /^Input 'tags': at most 44 tags with 'cluster-name'/
    )
    expect(() => configFrom({ region: REGION })).toThrow(
      /^Input 'load-balancer': is required when mode is 'create', unless 'cluster-name' is given/
    )
    // an api-name given wins over the cluster's default
    expect(configFrom({ region: REGION, 'cluster-name': 'prod', 'api-name': 'edge' }).apiName).toBe('edge')
  })
})
