/**
 * A new cluster given a share of the stage's requests, then promoted or rolled back, against moto server
 * behind the test proxy (which keeps stage canaries as AWS does: see docs/moto.md). The end state is read
 * back independently, through the proxy, as AWS shows it.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CreateDeploymentCommand,
  DeleteVpcLinkCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStageCommand,
  PutIntegrationCommand,
  UpdateStageCommand
} from '@aws-sdk/client-api-gateway'
import { runEngine } from '../src/engine/engine.js'
import { memoryLog } from '../src/report/log.js'
import { createLoadBalancer, REGION, testClients, type SeededLoadBalancer } from './support/aws.js'
import { readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { configFrom } from './support/inputs.js'

const aws = motoBehindProxy({ env: true })

let lbs: Record<'old' | 'new' | 'oldInternal' | 'newInternal', SeededLoadBalancer>

beforeEach(async () => {
  await aws.moto.reset()
  const make = (name: string, scheme: 'internet-facing' | 'internal') =>
    createLoadBalancer(aws.moto.endpoint, { name, scheme })
  lbs = {
    old: await make('cortex-old', 'internet-facing'),
    new: await make('cortex-new', 'internet-facing'),
    oldInternal: await make('cortex-old-in', 'internal'),
    newInternal: await make('cortex-new-in', 'internal')
  }
  aws.proxy.clear()
})

function run(inputs: Record<string, string>) {
  return runEngine({
    config: configFrom({ region: REGION, ...inputs }, { GITHUB_REPOSITORY: 'octo/app' }),
    log: memoryLog(),
    provenance: { repository: 'octo/app', workflow: 'ci' }
  })
}

/** The stage as AWS shows it (through the proxy): its deployment, variables and canary. */
async function stageOf(apiId: string, stageName = 'dev') {
  const { apigw } = testClients(aws.proxy.endpoint)
  return apigw.send(new GetStageCommand({ restApiId: apiId, stageName }))
}

const dns = (lb: SeededLoadBalancer) => lb.dnsName.toLowerCase()
const writes = () => aws.proxy.writes().map(w => w.operation)

describe('an internet-facing new cluster', () => {
  it('gets its share, keeps it on a re-run, changes it in place, and is promoted', async () => {
    const first = await run({
      'load-balancer': lbs.old.dnsName,
      'canary-load-balancer': lbs.new.dnsName,
      'canary-percent': '10'
    })
    const apiId = first.outputs['api-id']!
    expect(first.outputs['canary-percent']).toBe('10')
    // the summary names both clusters with their shares
    expect(first.shares).toBe(`10 % to ${dns(lbs.new)}, 90 % to ${dns(lbs.old)}`)
    expect(first.steps).toContain(
      `give stage "dev" a canary: 10 % to ${dns(lbs.new)}, 90 % to ${dns(lbs.old)}`
    )
    const made = await stageOf(apiId)
    expect(made.variables).toEqual({ cortexHost: dns(lbs.old) })
    expect(made.canarySettings).toMatchObject({
      percentTraffic: 10,
      stageVariableOverrides: { cortexHost: dns(lbs.new) }
    })
    // the canary serves a deployment of its own; the stage keeps its own deployment
    expect(made.canarySettings?.deploymentId).toBeTruthy()
    expect(made.canarySettings?.deploymentId).not.toBe(made.deploymentId)

    aws.proxy.clear()
    const again = await run({ 'load-balancer': lbs.old.dnsName, 'canary-load-balancer': lbs.new.dnsName })
    expect(again.outcome).toBe('unchanged')
    expect(again.shares).toBe(`10 % to ${dns(lbs.new)}, 90 % to ${dns(lbs.old)}`)
    expect(writes()).toEqual([])

    aws.proxy.clear()
    const half = await run({
      'load-balancer': lbs.old.dnsName,
      'canary-load-balancer': lbs.new.dnsName,
      'canary-percent': '50'
    })
    expect(writes()).toEqual(['PATCH /restapis/{id}/stages/{id}'])
    expect(half.outputs['canary-percent']).toBe('50')
    expect(half.outputs['api-id']).toBe(apiId)
    const halfway = await stageOf(apiId)
    expect(halfway.canarySettings?.percentTraffic).toBe(50)
    expect(halfway.variables).toEqual({ cortexHost: dns(lbs.old) })

    const dry = await run({ 'load-balancer': lbs.new.dnsName, 'dry-run': 'true' })
    expect(dry.steps).toEqual([
      `promote the canary of stage "dev": 100 % to ${dns(lbs.new)}`,
      `remove the canary of stage "dev": 100 % to ${dns(lbs.new)}`
    ])

    aws.proxy.clear()
    const promoted = await run({ 'load-balancer': lbs.new.dnsName })
    expect(promoted.outputs['api-id']).toBe(apiId)
    expect(promoted.outputs['canary-percent']).toBe('')
    const after = await stageOf(apiId)
    expect(after.variables).toEqual({ cortexHost: dns(lbs.new) })
    expect(after.canarySettings).toBeUndefined()
    // the canary's deployment is the stage's now, as AWS promotes
    expect(after.deploymentId).toBe(halfway.canarySettings?.deploymentId)

    aws.proxy.clear()
    expect((await run({ 'load-balancer': lbs.new.dnsName })).outcome).toBe('unchanged')
    expect(writes()).toEqual([])
  })

  it('serves a new deployment on the canary too when the methods change', async () => {
    const canary = { 'load-balancer': lbs.old.dnsName, 'canary-load-balancer': lbs.new.dnsName }
    const first = await run(canary)
    await run({ ...canary, authorization: 'AWS_IAM' })
    const st = await stageOf(first.outputs['api-id']!)
    expect(st.canarySettings?.deploymentId).toBe(st.deploymentId)
    expect(st.canarySettings?.stageVariableOverrides).toEqual({ cortexHost: dns(lbs.new) })
  })

  it('rolls back: the canary removed, the stage still on the current cluster', async () => {
    const first = await run({ 'load-balancer': lbs.old.dnsName, 'canary-load-balancer': lbs.new.dnsName })
    aws.proxy.clear()
    const back = await run({ 'load-balancer': lbs.old.dnsName })
    expect(back.steps).toEqual([`remove the canary of stage "dev": 100 % to ${dns(lbs.old)}`])
    const st = await stageOf(first.outputs['api-id']!)
    expect(st.canarySettings).toBeUndefined()
    expect(st.variables).toEqual({ cortexHost: dns(lbs.old) })
    expect(writes()).toEqual(['PATCH /restapis/{id}/stages/{id}'])
  })

  it.each([
    ['the current cluster', () => lbs.old.dnsName, /the load balancer the stage already serves/],
    ['of another scheme', () => lbs.newInternal.dnsName, /is internal but the stage's load balancer/]
  ])('refuses a canary that is %s before any write, naming the input', async (_what, canary, why) => {
    await expect(run({ 'load-balancer': lbs.old.dnsName, 'canary-load-balancer': canary() })).rejects.toThrow(
      new RegExp(`^Input 'canary-load-balancer': .*${why.source}`)
    )
    expect(aws.proxy.writes()).toEqual([])
  })

  it('refuses a share outside 0-100 before any AWS call', () => {
    expect(() =>
      run({
        'load-balancer': lbs.old.dnsName,
        'canary-load-balancer': lbs.new.dnsName,
        'canary-percent': '150'
      })
    ).toThrow(/^Input 'canary-percent': "150" is not a share from 0 to 100/)
    expect(aws.proxy.requests).toEqual([])
  })
})

describe('an internal new cluster', () => {
  const linkTo = async (lb: SeededLoadBalancer) =>
    (await readGateway(aws.proxy.endpoint)).links.filter(l => l.targetArns?.includes(lb.arn))

  it('gets a VPC link of its own; promoted, the old cluster goes and its link with it', async () => {
    const first = await run({
      'load-balancer': lbs.oldInternal.dnsName,
      'canary-load-balancer': lbs.newInternal.dnsName,
      'canary-percent': '12.5'
    })
    const apiId = first.outputs['api-id']!
    const [oldLink] = await linkTo(lbs.oldInternal)
    const [newLink] = await linkTo(lbs.newInternal)
    expect(oldLink.id).toBe(first.outputs['vpc-link-id'])
    expect(newLink.id).not.toBe(oldLink.id)
    const st = await stageOf(apiId)
    expect(st.variables).toEqual({ cortexHost: dns(lbs.oldInternal), cortexVpcLink: oldLink.id })
    expect(st.canarySettings).toMatchObject({
      percentTraffic: 12.5,
      stageVariableOverrides: { cortexHost: dns(lbs.newInternal), cortexVpcLink: newLink.id }
    })

    // AWS refuses to delete a link a stage or its canary reaches through its variables (the proxy too)
    const { apigw } = testClients(aws.proxy.endpoint)
    await expect(apigw.send(new DeleteVpcLinkCommand({ vpcLinkId: newLink.id }))).rejects.toThrow(
      /Cannot delete vpc link.*canary of stage/
    )

    aws.proxy.clear()
    await run({
      'load-balancer': lbs.oldInternal.dnsName,
      'canary-load-balancer': lbs.newInternal.dnsName,
      'canary-percent': '12.5'
    })
    expect(writes()).toEqual([])

    const promoted = await run({ 'load-balancer': lbs.newInternal.dnsName })
    expect(promoted.outputs['vpc-link-id']).toBe(newLink.id)
    const after = await stageOf(apiId)
    expect(after.variables).toEqual({ cortexHost: dns(lbs.newInternal), cortexVpcLink: newLink.id })
    expect(after.canarySettings).toBeUndefined()
    expect(await linkTo(lbs.oldInternal)).toEqual([])
    expect((await linkTo(lbs.newInternal)).map(l => l.id)).toEqual([newLink.id])
  })

  it('rolled back, the new cluster link goes; one another stage still reaches stays', async () => {
    const first = await run({
      'load-balancer': lbs.oldInternal.dnsName,
      'canary-load-balancer': lbs.newInternal.dnsName
    })
    // a second stage of the same gateway with its own canary to the new cluster
    await run({
      'load-balancer': lbs.oldInternal.dnsName,
      'canary-load-balancer': lbs.newInternal.dnsName,
      stage: 'prod'
    })
    const [newLink] = await linkTo(lbs.newInternal)
    const back = await run({ 'load-balancer': lbs.oldInternal.dnsName })
    // the link is looked at again once the canary is gone, and kept: the other stage's canary reaches it
    expect(back.steps).toEqual([
      `remove the canary of stage "dev": 100 % to ${dns(lbs.oldInternal)}`,
      `delete VPC link ${newLink.id} unless REST API ${first.outputs['api-id']} still goes through it`
    ])
    expect((await linkTo(lbs.newInternal)).map(l => l.id)).toEqual([newLink.id])
    expect(
      (await stageOf(first.outputs['api-id']!, 'prod')).canarySettings?.stageVariableOverrides
    ).toMatchObject({
      cortexVpcLink: newLink.id
    })
    const prodBack = await run({ 'load-balancer': lbs.oldInternal.dnsName, stage: 'prod' })
    expect(prodBack.steps).toEqual([
      `remove the canary of stage "prod": 100 % to ${dns(lbs.oldInternal)}`,
      // nothing else reaches it now: deleted outright
      `delete VPC link ${newLink.id}`
    ])
    expect(await linkTo(lbs.newInternal)).toEqual([])
  })
})

describe('delete', () => {
  it('takes the gateway, its canary and both clusters links of its own', async () => {
    await run({ 'load-balancer': lbs.oldInternal.dnsName, 'canary-load-balancer': lbs.newInternal.dnsName })
    expect((await readGateway(aws.proxy.endpoint)).links).toHaveLength(2)
    const gone = await run({ mode: 'delete' })
    expect(gone.outcome).toBe('deleted')
    const state = await readGateway(aws.proxy.endpoint)
    expect(state.apis).toEqual([])
    expect(state.links).toEqual([])
  })
})

describe('a gateway made before the stage variables', () => {
  it('moves to them with one redeploy, once', async () => {
    const first = await run({ 'load-balancer': lbs.old.dnsName })
    const apiId = first.outputs['api-id']!
    // as the action made it before: literal integrations, a stage without variables
    const { apigw } = testClients(aws.proxy.endpoint)
    const resources = (await apigw.send(new GetResourcesCommand({ restApiId: apiId, embed: ['methods'] })))
      .items!
    for (const r of resources) {
      const proxy = r.path === '/{proxy+}'
      await apigw.send(
        new PutIntegrationCommand({
          restApiId: apiId,
          resourceId: r.id,
          httpMethod: 'ANY',
          type: 'HTTP_PROXY',
          integrationHttpMethod: 'ANY',
          uri: proxy ? `http://${dns(lbs.old)}/{proxy}` : `http://${dns(lbs.old)}/`,
          passthroughBehavior: 'WHEN_NO_MATCH',
          ...(proxy
            ? { requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } }
            : {})
        })
      )
    }
    const legacy = await apigw.send(
      new CreateDeploymentCommand({ restApiId: apiId, description: 'cortex-rest-gateway old' })
    )
    await apigw.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'dev',
        patchOperations: [
          { op: 'replace', path: '/deploymentId', value: legacy.id },
          { op: 'remove', path: '/variables/cortexHost' }
        ]
      })
    )
    expect((await stageOf(apiId)).variables ?? {}).toEqual({})

    aws.proxy.clear()
    const moved = await run({ 'load-balancer': lbs.old.dnsName })
    expect(moved.outcome).toBe('updated')
    expect(writes().filter(w => w === 'POST /restapis/{id}/deployments')).toHaveLength(1)
    const st = await stageOf(apiId)
    expect(st.variables).toEqual({ cortexHost: dns(lbs.old) })
    expect(st.deploymentId).not.toBe(legacy.id)
    const state = await readGateway(aws.proxy.endpoint)
    const uris = state.resources.map(r => r.resourceMethods?.ANY?.methodIntegration?.uri).sort()
    expect(uris).toEqual([
      'http://${stageVariables.cortexHost}/',
      'http://${stageVariables.cortexHost}/{proxy}'
    ])

    aws.proxy.clear()
    expect((await run({ 'load-balancer': lbs.old.dnsName })).outcome).toBe('unchanged')
    expect(writes()).toEqual([])
    expect((await testClients(aws.proxy.endpoint).apigw.send(new GetRestApisCommand({}))).items).toHaveLength(
      1
    )
  })
})
