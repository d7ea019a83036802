/**
 * The engine in-process against moto server (through the recording proxy), for the cases the
 * end-to-end file does not walk through. Clients reach moto through AWS_ENDPOINT_URL, as users'
 * would reach any endpoint.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetRestApiCommand,
  UpdateStageCommand
} from '@aws-sdk/client-api-gateway'
import { runEngine } from '../src/engine/engine.js'
import { memoryLog } from '../src/report/log.js'
import { createLoadBalancer, REGION, testClients, type SeededLoadBalancer } from './support/aws.js'
import { readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { configFrom } from './support/inputs.js'

const aws = motoBehindProxy({ env: true })

let lb: SeededLoadBalancer

beforeEach(async () => {
  await aws.moto.reset()
  lb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex', scheme: 'internet-facing' })
  aws.proxy.clear()
})

async function create(inputs: Record<string, string> = {}) {
  const log = memoryLog()
  const result = await runEngine({
    config: configFrom({ 'load-balancer': lb.dnsName, region: REGION, ...inputs }),
    log,
    provenance: { repository: 'octo/app', workflow: 'ci' }
  })
  return { ...result, log }
}

describe('engine against moto', () => {
  it('finds the load balancer by ARN', async () => {
    const res = await create({ 'load-balancer': lb.arn })
    expect(res.outputs['load-balancer-arn']).toBe(lb.arn)
    expect(res.outcome).toBe('created')
  })

  it('switches the endpoint type in place without a redeploy, then has nothing to do', async () => {
    const first = await create()
    aws.proxy.clear()
    const edge = await create({ 'endpoint-type': 'edge' })
    expect(edge.outcome).toBe('updated')
    expect(aws.proxy.writes().map(w => w.operation)).toEqual(['PATCH /restapis/{id}'])
    const { apigw } = testClients(aws.moto.endpoint)
    const api = await apigw.send(new GetRestApiCommand({ restApiId: first.outputs['api-id'] }))
    expect(api.endpointConfiguration?.types).toEqual(['EDGE'])
    aws.proxy.clear()
    await create({ 'endpoint-type': 'EDGE' })
    expect(aws.proxy.writes()).toEqual([])
  })

  it('redeploys a stage someone pointed at another deployment, once', async () => {
    const first = await create()
    const { apigw } = testClients(aws.moto.endpoint)
    const restApiId = first.outputs['api-id']
    const byHand = await apigw.send(new CreateDeploymentCommand({ restApiId, description: 'by hand' }))
    await apigw.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'dev',
        patchOperations: [{ op: 'replace', path: '/deploymentId', value: byHand.id }]
      })
    )
    aws.proxy.clear()
    const again = await create()
    expect(again.steps).toEqual(['deploy stage "dev"'])
    // a deployment, and the stage pointed at it (its tags and settings stay)
    expect(aws.proxy.writes().map(w => w.operation)).toEqual([
      'POST /restapis/{id}/deployments',
      'PATCH /restapis/{id}/stages/{id}'
    ])
    aws.proxy.clear()
    await create()
    expect(aws.proxy.writes()).toEqual([])
  })

  it('deploys a second stage of the same API without touching its methods', async () => {
    const dev = await create()
    aws.proxy.clear()
    const prod = await create({ stage: 'prod' })
    expect(prod.outputs['api-id']).toBe(dev.outputs['api-id'])
    expect(prod.outputs['invoke-url']).toMatch(/\/prod$/)
    expect(aws.proxy.writes().map(w => w.operation)).toEqual([
      'POST /restapis/{id}/deployments',
      'POST /restapis/{id}/stages'
    ])
    const state = await readGateway(aws.moto.endpoint, 'cortex')
    expect(state.stages.map(s => s.stageName).sort()).toEqual(['dev', 'prod'])
    // each stage tagged (cost allocation reads stage tags)
    for (const st of state.stages)
      expect(st.tags).toMatchObject({ 'cortex-rest-gateway:managed-by': 'cortex-rest-gateway' })
  })

  it('says where to look when the load balancer is in another region', async () => {
    const east = await createLoadBalancer(aws.moto.endpoint, {
      name: 'east',
      scheme: 'internet-facing',
      region: 'us-east-1'
    })
    aws.proxy.clear()
    await expect(create({ 'load-balancer': east.dnsName })).rejects.toThrow(
      new RegExp(
        /Input 'region': the run is in us-west-2 \(from input 'region'\), /.source +
          /but the load balancer's DNS name says region us-east-1/.source
      )
    )
    // refused before any call at all
    expect(aws.proxy.requests).toEqual([])
  })

  it('uses the same one of two owned APIs of the same name every time, and warns', async () => {
    const first = await create()
    const { apigw } = testClients(aws.moto.endpoint)
    const twin = await apigw.send(
      new CreateRestApiCommand({
        name: 'cortex',
        tags: {
          'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
          'cortex-rest-gateway:repository': 'local'
        }
      })
    )
    // the rule every run applies alike: oldest createdDate (whole seconds), then lowest id
    const firstApi = await apigw.send(new GetRestApiCommand({ restApiId: first.outputs['api-id'] }))
    const [expected] = [firstApi, twin].sort(
      (a, b) => a.createdDate!.getTime() - b.createdDate!.getTime() || (a.id! < b.id! ? -1 : 1)
    )
    const again = await create()
    expect(again.outputs['api-id']).toBe(expected.id)
    expect(again.log.lines.join('\n')).toContain(
      `warning: 2 REST APIs named "cortex" were made by this repository`
    )
    expect(again.log.lines.join('\n')).toContain(twin.id)
  })
})

describe('call budgets (counts, not timings: the benchmark measures time)', () => {
  it(
    'internet-facing with CORS: create ≤ 23 calls besides the looks for racing twins, ' +
      'no-op re-run 0 writes and ≤ 8 calls, delete ≤ 8 calls',
    async () => {
      await create()
      // 18 to build and deploy, the stage made apart (to be tagged), and the read that the API is
      // still there; the looks for racing twins go on until AWS's clock passes the API's second. Every run
      // also lists the custom domains, for one of this repository left serving nothing (to sweep). CORS
      // also sets the gateway's own DEFAULT_4XX and DEFAULT_5XX answers (2 writes), read back on a re-run;
      // a re-run reads the API's authorizers too (beside the rest: one of the action's may be left unused)
      const looks = aws.proxy.requests.filter(r => r.operation === 'GET /restapis').length - 1
      expect(looks).toBeGreaterThanOrEqual(1)
      expect(looks).toBeLessThanOrEqual(6)
      expect(aws.proxy.requests.length - looks).toBeLessThanOrEqual(23)
      aws.proxy.clear()
      await create()
      expect(aws.proxy.writes()).toEqual([])
      expect(aws.proxy.requests.length).toBeLessThanOrEqual(8)
      aws.proxy.clear()
      await runEngine({ config: configFrom({ mode: 'delete', region: REGION }), log: memoryLog() })
      // (the API's authorizers are read beside its resources and stages)
      expect(aws.proxy.requests.length).toBeLessThanOrEqual(8)
    }
  )

  it('internal: delete ≤ 9 calls besides the polls for the link to go', async () => {
    const internal = await createLoadBalancer(aws.moto.endpoint, { name: 'private', scheme: 'internal' })
    await create({ 'load-balancer': internal.dnsName })
    aws.proxy.clear()
    await runEngine({ config: configFrom({ mode: 'delete', region: REGION }), log: memoryLog() })
    const polls = aws.proxy.requests.filter(r => r.method === 'GET' && /^\/vpclinks\/[^/]+$/.test(r.path))
    // list APIs, v1 and v2 links; the API's resources (its links), stages and authorizers (the Lambda
    // statements of ours go first); the custom domains (one of this repository serving nothing is swept);
    // delete API, delete link
    expect(aws.proxy.requests.length - polls.length).toBeLessThanOrEqual(9)
  })
})

describe('wait-for-ready', () => {
  it('probes the invoke URL plus ready-path after deploying, signed for AWS_IAM, and outputs the status', async () => {
    const probed: { url: string; headers: Record<string, string> }[] = []
    const fakeFetch = (async (url: URL, init?: RequestInit) => {
      probed.push({ url: String(url), headers: (init?.headers ?? {}) as Record<string, string> })
      return new Response('ok', { status: probed.length < 2 ? 503 : 200 })
    }) as typeof fetch
    const res = await runEngine({
      config: configFrom({
        'load-balancer': lb.dnsName,
        region: REGION,
        'wait-for-ready': 'true',
        'ready-path': '/iris/health',
        authorization: 'AWS_IAM'
      }),
      log: memoryLog(),
      fetch: fakeFetch,
      context: { sleep: async () => undefined }
    })
    expect(res.outputs['ready-status']).toBe('200')
    expect(probed).toHaveLength(2)
    expect(probed[0].url).toBe(`${res.outputs['invoke-url']}/iris/health`)
    expect(probed[0].headers.authorization).toMatch(/execute-api\/aws4_request/)
  })
})
